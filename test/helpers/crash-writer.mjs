// Child process for the crash test: appends as fast as it can and prints one
// JSON line per acknowledged entry. The parent kills it with SIGKILL at random.
import { parseConfig } from "../../dist/cli/config.js";
import { openLocalLedger } from "../../dist/cli/open-local.js";
import { toHex } from "../../dist/core/bytes.js";
import { secureRandomBytes, systemClock } from "../../dist/core/clock.js";

const [dataDir, keysDir, tag] = process.argv.slice(2);
const config = parseConfig({
  NOTARIUM_DATA_DIR: dataDir,
  NOTARIUM_KEYS_DIR: keysDir,
  NOTARIUM_ORIGIN: "crash.test.invalid/log",
});
const local = await openLocalLedger(config, {
  create: true, // the first round makes the log; later ones reopen it
  clock: systemClock,
  randomBytes: secureRandomBytes,
  maxBatch: 50,
});
process.stdout.write("ready\n");
let n = 0;
async function worker(w) {
  for (;;) {
    const sha256 = toHex(new Uint8Array(32).fill(0)).slice(0, 48) + (n++).toString(16).padStart(16, "0");
    const a = await local.ledger.append("evidence.deposited", { sha256, title: `${tag}-${w}` });
    process.stdout.write(
      `${JSON.stringify({ index: a.index, leaf: toHex(a.leafHash), size: a.block.size, note: a.block.note })}\n`,
    );
  }
}
await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
