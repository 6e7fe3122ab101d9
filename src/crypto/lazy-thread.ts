/**
 * A helper thread shared by its module, started on first use. When it fails,
 * it calls `forget` and the next use starts a new one; when none can be started
 * at all (a runtime without worker threads), get() answers undefined from then
 * on and callers do the work themselves.
 */
export class LazyThread<T extends { terminate(): Promise<number> }> {
  #current: T | undefined;
  #broken = false;

  constructor(private readonly make: (forget: () => void) => T) {}

  get(): T | undefined {
    if (this.#broken) return undefined;
    if (this.#current) return this.#current;
    try {
      const made: T = this.make(() => {
        if (this.#current === made) this.#current = undefined; // an older thread's failure leaves a newer one be
      });
      this.#current = made;
      return made;
    } catch {
      this.#broken = true;
      return undefined;
    }
  }

  /** Stops the current thread, if any (tests: an idle thread never keeps a process alive). */
  async stop(): Promise<void> {
    const t = this.#current;
    this.#current = undefined;
    await t?.terminate();
  }
}
