import { join } from "node:path";
import type { Clock, RandomBytes } from "../core/clock.js";
import { createCosigner, parseSignerKey } from "../crypto/note-keys.js";
import { LevelWitnessStore } from "../storage/witness-store.js";
import type { WitnessOptions } from "./config.js";
import { loadOrCreateWitnessKey } from "./key-file.js";
import { createLogKeyring } from "./log-keyring.js";
import { createWitnessMetrics } from "./metrics.js";
import { startWitnessServer, type WitnessLogger, type WitnessServer } from "./server.js";

/**
 * Adapter and composition root of a court witness node (DESIGN §11): its own
 * data directory holding the cosigner key (witness.key, witness.vkey) and the
 * LevelDB state (state/), and the HTTP server.
 */

export const WITNESS_STATE_DIR = "state";

export interface WitnessNode {
  url: string;
  port: number;
  /** The witness's cosigner verifier key (type 0x04): what logs put in their tlog-policy. */
  verifierKey: string;
  /** True when this start created the key (first run). */
  keyCreated: boolean;
  origins: readonly string[];
  server: WitnessServer;
  close(): Promise<void>;
}

export interface WitnessNodeDeps {
  clock: Clock;
  randomBytes: RandomBytes;
  logger?: WitnessLogger;
  /** Node process metrics in /metrics (default true; tests turn them off). */
  processMetrics?: boolean;
}

export async function startWitnessNode(options: WitnessOptions, deps: WitnessNodeDeps): Promise<WitnessNode> {
  const logs = createLogKeyring(options.logs);
  const key = await loadOrCreateWitnessKey(options.dataDir, options.name, deps.randomBytes);
  const { name, seed } = parseSignerKey(key.secret);
  const store = new LevelWitnessStore(join(options.dataDir, WITNESS_STATE_DIR));
  await store.open();
  let server: WitnessServer;
  try {
    server = await startWitnessServer({
      witness: { cosigner: createCosigner(name, seed, deps.clock), logs, store, clock: deps.clock },
      verifierKey: key.verifierKey,
      host: options.host,
      port: options.port,
      maxBodyBytes: options.maxBodyBytes,
      metrics: createWitnessMetrics({ processMetrics: deps.processMetrics }),
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    url: server.url,
    port: server.port,
    verifierKey: key.verifierKey,
    keyCreated: key.created,
    origins: logs.origins,
    server,
    async close() {
      await server.close();
      await store.close();
    },
  };
}
