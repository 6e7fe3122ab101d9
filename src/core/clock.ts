/** Injected time source, so entries, checkpoints and tests are reproducible. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that returns a fixed instant, advanced explicitly by tests. */
export function fixedClock(start: Date | string, stepMs = 0): Clock & { advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now() {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

/** Injected randomness (keys, salts, tokens). */
export type RandomBytes = (n: number) => Uint8Array;

export const secureRandomBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));
