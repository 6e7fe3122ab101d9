import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Tests that spawn the real `notarium` binary need dist/ current: build once (incremental) before the run. */
export default function setup(): void {
  // For quick inner loops when dist/ is known to be current; CI and npm test always build.
  if (process.env.NOTARIUM_TEST_SKIP_BUILD === "1") return;
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
