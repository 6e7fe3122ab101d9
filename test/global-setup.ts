import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Tests that spawn the real `notarium` binary need dist/ current, and the
 * browser tests need the built pages: build both once (tsc incrementally,
 * esbuild in about a second) before the run.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
  execFileSync(process.execPath, ["scripts/build-web.mjs"], { cwd: root, stdio: "inherit" });
}
