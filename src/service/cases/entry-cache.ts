import type { Entry, EntryType, JsonObject } from "../../ledger/entry.js";
import type { Appended, Ledger } from "../../ledger/ledger.js";

/**
 * Parsed log entries by index, shared read-only. An entry inside the signed
 * tree never changes, so nothing is ever invalidated; the oldest are dropped
 * once `max` is reached. Every signature re-derives its case from all of the
 * case's entries, and this keeps that to about one store read per signature.
 */
export class EntryCache {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly max = 20_000) {}

  get(index: number): Entry | undefined {
    return this.entries.get(index);
  }

  set(index: number, entry: Entry): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as number);
    this.entries.set(index, entry);
  }
}

/**
 * Appends an entry about a case and keeps it in the cache: the append resolves
 * only once a signed checkpoint covers the entry, so the next look at the case
 * needs no store read for it.
 */
export async function appendCaseEntry(
  ctx: { ledger: Ledger; entries: EntryCache },
  type: EntryType,
  body: JsonObject,
): Promise<Appended> {
  const appended = await ctx.ledger.append(type, body);
  ctx.entries.set(appended.index, appended.entry);
  return appended;
}
