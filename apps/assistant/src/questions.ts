/** The article's four test questions. */
export const ARTICLE_QUESTIONS = [
  "Customer 67890 recently purchases were $150, $300, $13 and $89. Calculate their total account value.",
  "Get a list of recent customers and summarize their status",
  "Create a high-priority support ticket for customer 67890 about billing issues",
  "Calculate the account value for customer 12345 with purchases: $150, $300, $89",
] as const;
