import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import {
  authorize,
  createToken,
  hashToken,
  listTokens,
  revokeToken,
  TokenAuthenticator,
  type TokenRecord,
  type TokenStore,
} from "../../src/service/tokens.js";
import { seededBytes } from "../helpers/ledger.js";

/** An in-memory TokenStore whose version changes on every write, counting reads. */
function memoryTokens() {
  let records: TokenRecord[] = [];
  let version = 0;
  const store: TokenStore & { reads: number } = {
    reads: 0,
    version: async () => (version === 0 ? undefined : String(version)),
    read: async () => {
      store.reads++;
      return { records, version: version === 0 ? undefined : String(version) };
    },
    update: async (change) => {
      const next = change(records);
      if (next !== records) {
        records = next;
        version++;
      }
    },
  };
  return store;
}

const deps = () => ({ clock: fixedClock("2026-11-26T10:00:00.000Z"), randomBytes: seededBytes(7) });

describe("tokens", () => {
  it("makes ntr_ tokens of 256 bits and stores only their SHA-256", async () => {
    const store = memoryTokens();
    const { token, record } = await createToken(store, { name: "mediator-1", role: "mediator" }, deps());
    expect(token).toMatch(/^ntr_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({
      name: "mediator-1",
      role: "mediator",
      revoked: false,
      sha256: hashToken(token),
    });
    expect(record.id).toBe(record.sha256.slice(0, 12));
    expect(JSON.stringify(await listTokens(store))).not.toContain(token);
  });

  it.each([
    [{ name: "x", role: "root" }, "INVALID_ARGUMENT"],
    [{ name: "two words", role: "court" }, "INVALID_ARGUMENT"],
    [{ name: "", role: "court" }, "INVALID_ARGUMENT"],
    [{ name: "n".repeat(65), role: "court" }, "INVALID_ARGUMENT"],
  ])("refuses %j with %s", async (input, code) => {
    await expect(createToken(memoryTokens(), input, deps())).rejects.toMatchObject({ code });
  });

  it("refuses a second active token with the same name, and allows it after revocation", async () => {
    const store = memoryTokens();
    await createToken(store, { name: "court-a", role: "court" }, deps());
    await expect(createToken(store, { name: "court-a", role: "court" }, deps())).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await revokeToken(store, "court-a", deps().clock);
    await createToken(store, { name: "court-a", role: "court" }, deps());
    expect((await listTokens(store)).map((r) => r.revoked)).toEqual([true, false]);
  });

  it("revokes by ID or name, and says when there is no such token", async () => {
    const store = memoryTokens();
    const { record } = await createToken(store, { name: "m", role: "mediator" }, deps());
    expect(await revokeToken(store, record.id, deps().clock)).toMatchObject({
      revoked: true,
      revokedAt: "2026-11-26T10:00:00.000Z",
    });
    await expect(revokeToken(store, "nobody", deps().clock)).rejects.toMatchObject({
      code: "TOKEN_NOT_FOUND",
    });
  });

  it("authenticates active tokens only, re-reading the store only when it changed", async () => {
    const store = memoryTokens();
    const d = deps();
    const { token } = await createToken(store, { name: "m", role: "mediator" }, d);
    const auth = new TokenAuthenticator(store, { clock: d.clock, recheckMs: 0 });
    expect(await auth.authenticate(token)).toEqual({
      id: hashToken(token).slice(0, 12),
      name: "m",
      role: "mediator",
    });
    await auth.authenticate(token);
    expect(store.reads).toBe(1);
    for (const bad of [undefined, "", "ntr_short", `ntr_${"A".repeat(43)}`, token.toUpperCase()]) {
      await expect(auth.authenticate(bad)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
    await revokeToken(store, "m", d.clock);
    await expect(auth.authenticate(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("checks for changes at most every recheckMs, but at once for an unknown token", async () => {
    const store = memoryTokens();
    const d = deps();
    const first = await createToken(store, { name: "a", role: "mediator" }, d);
    const auth = new TokenAuthenticator(store, { clock: d.clock, recheckMs: 1000 });
    await auth.authenticate(first.token);
    const second = await createToken(store, { name: "b", role: "court" }, d);
    expect((await auth.authenticate(second.token)).role).toBe("court");
    await revokeToken(store, "a", d.clock);
    expect((await auth.authenticate(first.token)).name).toBe("a"); // within the window
    d.clock.advance(1000);
    await expect(auth.authenticate(first.token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("answers a known token at once only while the store was checked within recheckMs", async () => {
    const store = memoryTokens();
    const d = deps();
    const { token } = await createToken(store, { name: "m", role: "mediator" }, d);
    const other = await createToken(store, { name: "o", role: "court" }, d);
    const auth = new TokenAuthenticator(store, { clock: d.clock, recheckMs: 1000 });
    expect(auth.known(token)).toBeUndefined(); // nothing read yet
    const principal = await auth.authenticate(token);
    expect(auth.known(token)).toEqual(principal);
    expect(auth.known(other.token)).toMatchObject({ role: "court" }); // read in the same refresh
    for (const bad of ["", "ntr_short", `ntr_${"A".repeat(43)}`, token.toUpperCase()])
      expect(auth.known(bad)).toBeUndefined();
    await revokeToken(store, "m", d.clock);
    expect(auth.known(token)).toEqual(principal); // within the window, as authenticate()
    d.clock.advance(1000);
    expect(auth.known(token)).toBeUndefined(); // time to look at the store again
    await expect(auth.authenticate(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(auth.known(token)).toBeUndefined(); // revoked
  });

  it("lets admin do everything and others only what a route lists", () => {
    const p = (role: "admin" | "mediator" | "court") => ({ id: "x", name: "x", role });
    expect(() => authorize(p("admin"), ["court"])).not.toThrow();
    expect(() => authorize(p("court"), ["court"])).not.toThrow();
    expect(() => authorize(p("mediator"), ["court"])).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });
});
