import { describe, expect, it } from "vitest";
import { clientKey, WindowCounter } from "../../src/http/rate-limit.js";

describe("clientKey", () => {
  it("keeps IPv4 addresses, also written IPv4-mapped", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::FFFF:127.0.0.1")).toBe("127.0.0.1");
  });

  it("counts an IPv6 address against its /56, whatever its spelling", () => {
    const key = "2001:db8:abcd:1200::/56";
    for (const a of [
      "2001:db8:abcd:1234::1",
      "2001:0db8:abcd:12ff:ffff:ffff:ffff:ffff",
      "2001:db8:abcd:1200::",
      "2001:db8:abcd:1234:5678::9%eth0",
    ])
      expect(clientKey(a), a).toBe(key);
    expect(clientKey("2001:db8:abcd:1300::1")).not.toBe(key);
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/56");
    expect(clientKey("::1")).toBe("0:0:0:0::/56");
    expect(clientKey("fe80::1%lo0")).toBe("fe80:0:0:0::/56");
    expect(clientKey("::")).toBe("0:0:0:0::/56");
  });

  it("reads an embedded IPv4 tail as two groups", () => {
    expect(clientKey("64:ff9b::192.0.2.33")).toBe("64:ff9b:0:0::/56");
    expect(clientKey("1:2:3:4:5:6:192.0.2.33")).toBe("1:2:3:0::/56");
  });
});

describe("WindowCounter", () => {
  it("allows `limit` requests per window from a client's first, then refuses until it ends", () => {
    const c = new WindowCounter(3, 60_000);
    const at = (now: number) => c.take("a", now);
    expect([at(1000), at(2000), at(3000)].map((t) => t.remaining)).toEqual([2, 1, 0]);
    expect(at(30_000)).toEqual({ ok: false, remaining: 0, resetMs: 31_000 });
    expect(at(60_999).ok).toBe(false);
    expect(at(61_000)).toEqual({ ok: true, remaining: 2, resetMs: 60_000 }); // a new window
  });

  it("counts each client on its own", () => {
    const c = new WindowCounter(1, 1000);
    expect(c.take("a", 0).ok).toBe(true);
    expect(c.take("a", 1).ok).toBe(false);
    expect(c.take("b", 2).ok).toBe(true);
  });

  it("forgets the windows that ended, so memory follows the recent clients", () => {
    const c = new WindowCounter(5, 1000);
    for (let i = 0; i < 100; i++) c.take(`client-${i}`, i);
    expect(c.size).toBe(100);
    c.take("late", 5000);
    expect(c.size).toBe(1);
  });

  it("keeps at most maxClients windows, forgetting the oldest first", () => {
    const c = new WindowCounter(1, 60_000, 3);
    for (const key of ["a", "b", "c"]) expect(c.take(key, 0).ok).toBe(true);
    expect(c.take("d", 1).ok).toBe(true); // "a" is forgotten to make room
    expect(c.size).toBe(3);
    expect(c.take("b", 2).ok).toBe(false); // still counted
    expect(c.take("a", 3).ok).toBe(true); // starts afresh
  });
});
