import { toHex, utf8 } from "../../../core/bytes.js";
import { ed25519Portable } from "../../../crypto/ed25519.js";
import {
  createPartyKeyFile,
  openPartyKeyFile,
  type PartyKeyFile,
  parsePartyKeyFile,
} from "../../../esign/party-key.js";
import { formatSignaturePayload } from "../../../esign/signature-payload.js";
import type { Receipt } from "../../../ledger/receipt.js";
import { apiJson } from "../common/api.js";
import { saveKeyFile } from "./key-store.js";

export type KeyMode = "generate" | "import" | "stored";

/** An opened key: the encrypted file (what is kept) and the seed (held only while signing). */
export interface OpenedKey {
  file: PartyKeyFile;
  seed: Uint8Array;
}

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const fail = (key: string): never => {
  throw new Error(key); // a message key; the page words it
};

/**
 * Makes, imports or unlocks the party's Ed25519 key. A new or imported key
 * is (re-)encrypted under the passphrase before anything is kept; the raw
 * seed exists only in this function's result, which the caller wipes.
 */
export async function prepareKey(o: {
  mode: KeyMode;
  passphrase: string;
  confirm: string;
  stored?: PartyKeyFile;
  importFile?: Blob;
  boundKey?: string;
}): Promise<OpenedKey> {
  if (o.passphrase.length < 8) fail("sign.err.passphrase");
  let file: PartyKeyFile;
  let seed: Uint8Array;
  if (o.mode === "generate") {
    if (o.passphrase !== o.confirm) fail("sign.err.mismatch");
    seed = randomBytes(32);
    file = await createPartyKeyFile(seed, o.passphrase, randomBytes);
  } else {
    let source: PartyKeyFile;
    if (o.mode === "stored" && o.stored) source = o.stored;
    else {
      if (!o.importFile) return fail("sign.err.noFile");
      try {
        source = parsePartyKeyFile(await o.importFile.text());
      } catch {
        return fail("sign.err.badFile");
      }
    }
    try {
      seed = await openPartyKeyFile(source, o.passphrase);
    } catch {
      return fail("sign.err.wrongPassphrase");
    }
    file = source.encryption === "none" ? await createPartyKeyFile(seed, o.passphrase, randomBytes) : source;
  }
  if (o.boundKey && o.boundKey !== file.publicKey) {
    seed.fill(0);
    fail("sign.err.keyMismatch");
  }
  return { file, seed };
}

/** RFC 3339 UTC, whole seconds (DESIGN §6): what the signer asserts. */
export const signingTime = (now = new Date()) => `${now.toISOString().slice(0, 19)}Z`;

/**
 * Keeps the encrypted key file in this browser, binds the public key if the
 * invitation has none yet, signs the DESIGN §6 payload and posts the
 * signature with the invitation token. Only the public key and the signature
 * leave the browser; the seed is wiped afterwards, whatever happens.
 *
 * The key is kept before it is bound: once bound, it is the only key that
 * can sign for this party, so a failure after binding (network, clock, full
 * storage) must never lose it. Where this browser cannot keep it (storage
 * blocked or full), signing goes on with the key in memory; `onBound` hands
 * the caller the file so it can offer it for download.
 */
export async function signAgreement(o: {
  token: string;
  view: { caseId: string; signer: string; role: string; document?: string; publicKey?: string };
  key: OpenedKey;
  onBound?: (file: PartyKeyFile) => void;
  /** This browser could not keep the key: the page should offer its file for download. */
  onUnsaved?: (file: PartyKeyFile) => void;
}): Promise<Receipt> {
  const { view, key } = o;
  const auth = { token: o.token };
  try {
    if (!view.document) fail("sign.err.code.AGREEMENT_MISSING");
    await saveKeyFile(view.caseId, view.signer, key.file).catch(() => o.onUnsaved?.(key.file));
    if (!view.publicKey) {
      await apiJson(`/api/v1/invitations/${encodeURIComponent(o.token)}/key`, {
        method: "PUT",
        json: { publicKey: key.file.publicKey },
      });
      o.onBound?.(key.file);
    }
    const time = signingTime();
    const payload = formatSignaturePayload({
      case: view.caseId,
      document: view.document as string,
      role: view.role,
      signer: view.signer,
      time,
    });
    const signature = toHex(ed25519Portable.sign(utf8(payload), key.seed));
    return await apiJson<Receipt>(`/api/v1/cases/${encodeURIComponent(view.caseId)}/signatures`, {
      ...auth,
      method: "POST",
      json: { signer: view.signer, time, signature, document: view.document, role: view.role },
    });
  } finally {
    key.seed.fill(0);
  }
}
