#!/usr/bin/env node
// Creates a new package from the llmux package template:
//   pnpm new-package provider-mistral --description "Mistral adapter for llmux"
// Writes packages/<dir>/{package.json,tsconfig.json,tsup.config.ts,vitest.config.ts,README.md,src/index.ts}
// with the exports map, files, engines and scripts every package uses (publint + attw clean).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    description: { type: "string", default: "" },
    name: { type: "string" },
    app: { type: "boolean", default: false },
    force: { type: "boolean", default: false },
  },
});
const dir = positionals[0];
if (!dir || !/^[a-z0-9-]+$/.test(dir)) {
  console.error("usage: new-package <dir-name> [--name @llmux/x] [--description text] [--app]");
  process.exit(2);
}
const base = join(root, values.app ? "apps" : "packages", dir);
const name = values.name ?? (values.app ? `@llmux/${dir}-app` : `@llmux/${dir}`);
if (existsSync(join(base, "package.json")) && !values.force) {
  console.error(`${base} already exists (use --force to overwrite the template files)`);
  process.exit(1);
}
mkdirSync(join(base, "src"), { recursive: true });

const pkg = {
  name,
  version: "0.1.0",
  description: values.description,
  license: "MIT",
  type: "module",
  sideEffects: false,
  engines: { node: ">=22" },
  main: "./dist/index.cjs",
  module: "./dist/index.js",
  types: "./dist/index.d.cts",
  exports: {
    ".": {
      import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
      require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
    },
    "./package.json": "./package.json",
  },
  files: ["dist", "README.md"],
  keywords: ["llm", "mcp", "llmux"],
  repository: {
    type: "git",
    url: "git+https://github.com/llmux/llmux.git",
    directory: `${values.app ? "apps" : "packages"}/${dir}`,
  },
  publishConfig: { access: "public" },
  scripts: {
    build: "tsup",
    typecheck: "tsc -p tsconfig.json",
    "check:package": "publint --strict && attw --pack . --profile node16",
    test: "vitest run",
  },
  dependencies: { "@llmux/core": "workspace:*" },
};
if (values.app) {
  pkg.private = true;
  delete pkg.publishConfig;
  delete pkg.scripts["check:package"];
}
const write = (file, text) => writeFileSync(join(base, file), text);
write("package.json", `${JSON.stringify(pkg, null, 2)}\n`);
write("tsconfig.json", `{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src"]\n}\n`);
write(
  "tsup.config.ts",
  `import { defineConfig } from "tsup";\nimport { llmuxTsup } from "../../tsup.base.ts";\n\nexport default defineConfig(llmuxTsup());\n`,
);
write(
  "vitest.config.ts",
  `import { llmuxVitest } from "../../vitest.shared.ts";\n\nexport default llmuxVitest(${JSON.stringify(name)});\n`,
);
if (!existsSync(join(base, "README.md")) || values.force) {
  write(
    "README.md",
    `# ${name}\n\n${values.description}\n\n## Install\n\n\`\`\`sh\nnpm i ${name}\n\`\`\`\n\n## Example\n\n\`\`\`ts\n// TODO: a runnable example\n\`\`\`\n`,
  );
}
if (!existsSync(join(base, "src/index.ts"))) write("src/index.ts", "export {};\n");
console.log(`created ${name} in ${base}`);
