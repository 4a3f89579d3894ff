import { llmuxVitest } from "../../vitest.shared.ts";

export default llmuxVitest("@llmux/provider-deepseek");
