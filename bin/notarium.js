#!/usr/bin/env -S node --max-semi-space-size=32
// The `notarium` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    "notarium: not built yet; run `npm run build` (or `npm install`) in the project directory\n",
  );
  process.exit(2);
}
const { main } = await import(entry.href);
const status = await main(process.argv, process.env);
process.exitCode = status;
