import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Tests that spawn the real `notarium` binary need dist/ current, and the
 * browser tests need the built pages: build both once (tsc incrementally,
 * esbuild in about a second) before the run.
 *
 * Every temporary directory of the run (tests, the CLI and services they
 * start, Chromium's profiles) goes under one directory of its own, removed
 * when the run ends: a run used to leave hundreds of directories in /tmp.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
  execFileSync(process.execPath, ["scripts/build-web.mjs"], { cwd: root, stdio: "inherit" });
  const run = mkdtempSync(join(tmpdir(), "notarium-test-run-"));
  // Read by os.tmpdir() in every test process, which inherits this environment.
  process.env.TMPDIR = run;
  return () => rmSync(run, { recursive: true, force: true });
}
