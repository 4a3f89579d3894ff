import { llmuxVitest } from "../../vitest.shared.ts";

export default llmuxVitest("@llmux/console-app");
