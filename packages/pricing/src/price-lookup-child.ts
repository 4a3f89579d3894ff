// The process `preloadModelPrices` starts: reads a JSON array of model ids on stdin, looks their
// prices up in the catalog, and prints every look-up it made as JSON on stdout, then exits (taking
// the compiled catalog's memory with it).
import { getModelPrice, lookedUpPrices } from "./calculate-cost.js";

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (text: string) => {
  input += text;
});
process.stdin.on("end", () => {
  const ids: unknown = JSON.parse(input);
  for (const id of Array.isArray(ids) ? ids : []) {
    try {
      if (typeof id === "string") getModelPrice(id);
    } catch {
      // A malformed id: the process that asked reports it when it looks the price up itself.
    }
  }
  process.stdout.write(JSON.stringify(lookedUpPrices()));
});
