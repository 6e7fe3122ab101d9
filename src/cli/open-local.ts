import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Clock, RandomBytes } from "../core/clock.js";
import { ValidationError } from "../core/errors.js";
import { Ledger } from "../ledger/ledger.js";
import type { LogKey } from "../ledger/log-keys.js";
import { createLogKey } from "../service/log-key.js";
import { loadOrCreateLogKey, writeVerifierKeyFile } from "../storage/key-files.js";
import { LevelLedgerStore } from "../storage/level-store.js";
import type { Config } from "./config.js";

export interface LocalLedger {
  ledger: Ledger;
  store: LevelLedgerStore;
  key: LogKey;
  keyCreated: boolean;
  close(): Promise<void>;
}

/** Loads the log key (creating it on first use when allowed). */
export async function loadLogKey(
  config: Config,
  deps: { randomBytes: RandomBytes },
  create = true,
): Promise<{ key: LogKey; created: boolean }> {
  const loaded = await loadOrCreateLogKey(config.keysDir, {
    origin: config.origin,
    randomBytes: deps.randomBytes,
    create,
  });
  const key = createLogKey(loaded.secret);
  if (loaded.created) await writeVerifierKeyFile(config.keysDir, key.verifierKey);
  return { key, created: loaded.created };
}

/**
 * Opens the ledger in a local data directory (refused while a running service
 * holds it). Only `create` (serve, deposit) makes a new log where there is
 * none; a command that reads refuses a directory without one, so a mistyped
 * --data or --keys is said to be one, instead of answering for an empty log.
 */
export async function openLocalLedger(
  config: Config,
  deps: {
    clock: Clock;
    randomBytes: RandomBytes;
    maxBatch?: number;
    maxQueue?: number;
    onBlock?: (cp: import("../ledger/ledger-store.js").StoredCheckpoint) => void;
    create?: boolean;
  },
): Promise<LocalLedger> {
  if (!deps.create && !existsSync(join(config.dataDir, "ledger", "CURRENT")))
    throw new ValidationError(
      "FILE_UNREADABLE",
      `no ledger in ${config.dataDir} (give --data or NOTARIUM_DATA_DIR for the service's data directory; \`notarium serve\` or a first \`notarium deposit\` creates one)`,
    );
  const { key, created } = await loadLogKey(config, deps, deps.create === true);
  const store = new LevelLedgerStore(join(config.dataDir, "ledger"));
  await store.open();
  try {
    const ledger = await Ledger.open({
      store,
      key,
      onBlock: deps.onBlock,
      clock: deps.clock,
      maxBatch: deps.maxBatch,
      maxQueue: deps.maxQueue,
    });
    return {
      ledger,
      store,
      key,
      keyCreated: created,
      async close() {
        await ledger.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
