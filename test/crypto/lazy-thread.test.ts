import { describe, expect, it } from "vitest";
import { LazyThread } from "../../src/crypto/lazy-thread.js";

describe("LazyThread", () => {
  it("makes one on first use, a new one after a failure, and ignores an older one's failure", async () => {
    const made: { forget: () => void; stopped: boolean }[] = [];
    const lazy = new LazyThread((forget) => {
      const t = {
        forget,
        stopped: false,
        terminate: async () => {
          t.stopped = true;
          return 1;
        },
      };
      made.push(t);
      return t;
    });
    const first = lazy.get();
    expect(lazy.get()).toBe(first);
    made[0]?.forget();
    const second = lazy.get();
    expect(second).not.toBe(first);
    made[0]?.forget(); // the old thread failing again must not drop the new one
    expect(lazy.get()).toBe(second);
    await lazy.stop();
    expect(made[1]?.stopped).toBe(true);
    expect(lazy.get()).not.toBe(second);
  });

  it("answers undefined for good when no thread can be made", () => {
    let calls = 0;
    const lazy = new LazyThread<{ terminate(): Promise<number> }>(() => {
      calls++;
      throw new Error("no worker threads here");
    });
    expect(lazy.get()).toBeUndefined();
    expect(lazy.get()).toBeUndefined();
    expect(calls).toBe(1);
  });
});
