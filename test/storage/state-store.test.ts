import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/esign/case.js";
import { LevelStateStore } from "../../src/storage/state-store.js";

const record = (title: string): CaseRecord => ({
  id: "case_0123456789abcdef",
  caseNumber: "2026-1",
  title,
  mediator: "m",
  parties: [{ id: "a", role: "applicant", name: "A" }],
  signingOrder: "parallel",
  createdAt: "2026-11-27T00:00:00.000Z",
  version: 0,
});

describe("LevelStateStore case records", () => {
  it("hands out one frozen record per version, current after every write and after reopening", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-state-")), "state");
    const store = new LevelStateStore(dir);
    await store.open();
    const mine = record("first");
    await store.putCase(mine, 0);
    mine.title = "changed by the caller afterwards";
    const a = (await store.getCase(mine.id)) as CaseRecord;
    expect(a).toMatchObject({ title: "first", version: 1 });
    expect(await store.getCase(mine.id)).toBe(a); // parsed once, shared
    expect(() => {
      (a.parties[0] as { name: string }).name = "x";
    }).toThrow(TypeError);
    await store.putCase({ ...a, title: "second" }, 1);
    expect(await store.getCase(mine.id)).toMatchObject({ title: "second", version: 2 });
    await expect(store.putCase({ ...a, title: "stale" }, 1)).rejects.toMatchObject({ code: "CONFLICT" });
    await store.close();
    const again = new LevelStateStore(dir);
    await again.open();
    expect(await again.getCase(mine.id)).toMatchObject({ title: "second", version: 2 });
    await again.close();
  });
});
