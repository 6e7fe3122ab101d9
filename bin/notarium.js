#!/usr/bin/env -S node --max-semi-space-size=32 --initial-old-space-size=128
// The `notarium` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare) or `npm run build`.
// V8 heap flags, also in package.json's start and bench scripts:
// - a young generation of up to 32 MiB a semi-space, so that short-lived request garbage dies young;
// - an old-generation limit of at least 128 MiB. Upload bodies arrive as 64 KiB buffers whose memory V8
//   counts against that limit; with the few MiB of headroom V8 leaves a small heap, a 1 GiB upload set
//   off a full collection every 80 ms or so, in about one run in three (0.3 to 0.8 s of extra CPU).
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
