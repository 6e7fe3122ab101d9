import type { PartyKeyFile } from "../../../esign/party-key.js";

/**
 * Where the signing page keeps a party's key: the key FILE (notarium/party-key/v1),
 * always encrypted under the party's passphrase (PBKDF2 → AES-256-GCM,
 * src/esign/party-key.ts), never the raw key. IndexedDB when available,
 * localStorage otherwise; one key per case and signer.
 */
const DB = "notarium";
const STORE = "party-keys";
const LS_PREFIX = "notarium.party-key.";

const storeId = (caseId: string, signer: string) => `${caseId}/${signer}`;

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB is unavailable"));
  });
}

async function withStore<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    });
  } finally {
    db.close();
  }
}

export async function loadKeyFile(caseId: string, signer: string): Promise<PartyKeyFile | undefined> {
  const id = storeId(caseId, signer);
  try {
    const text = await withStore<string | undefined>(
      "readonly",
      (s) => s.get(id) as IDBRequest<string | undefined>,
    );
    if (text) return JSON.parse(text) as PartyKeyFile;
  } catch {
    // fall through to localStorage
  }
  const text = localStorage.getItem(LS_PREFIX + id);
  return text ? (JSON.parse(text) as PartyKeyFile) : undefined;
}

/** Saves an encrypted key file; refuses an unencrypted one, which must never be stored. */
export async function saveKeyFile(caseId: string, signer: string, file: PartyKeyFile): Promise<void> {
  if (file.encryption === "none" || file.seed !== undefined)
    throw new Error("refusing to store an unencrypted key");
  const id = storeId(caseId, signer);
  const text = JSON.stringify(file);
  try {
    await withStore("readwrite", (s) => s.put(text, id));
  } catch {
    localStorage.setItem(LS_PREFIX + id, text);
  }
}
