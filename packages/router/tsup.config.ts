import { defineConfig } from "tsup";
import { llmuxTsup } from "../../tsup.base.ts";

export default defineConfig(llmuxTsup());
