const CHUNK = 64 * 1024;

/** Where ASCII JSON is written piece by piece (receipt-json.ts). */
export interface AsciiSink {
  /** `s` must be ASCII (one byte per character). */
  write(s: string): this;
}

/**
 * Collects ASCII text into one string: for answers of a few kilobytes, which
 * Node then sends with their headers in one write (a Buffer body would take a
 * second, gathered one).
 */
export class AsciiText implements AsciiSink {
  text = "";

  write(s: string): this {
    this.text += s;
    return this;
  }
}

/**
 * Collects ASCII text (asciiJson, receipt JSON) straight into buffers: each
 * piece is copied once, where concatenating the pieces first would copy them
 * again into one flat string and then once more for the socket. Send the
 * result with sendAsciiJson.
 */
export class AsciiChunks implements AsciiSink {
  readonly #done: Buffer[] = [];
  #chunk = Buffer.allocUnsafe(CHUNK);
  #at = 0;
  #length = 0;

  /** `s` must be ASCII (one byte per character); anything else would be mangled. */
  write(s: string): this {
    if (s.length > this.#chunk.length - this.#at) {
      this.#seal();
      this.#chunk = Buffer.allocUnsafe(Math.max(CHUNK, s.length));
    }
    const n = this.#chunk.write(s, this.#at, "latin1");
    this.#at += n;
    this.#length += n;
    return this;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** The buffers, in order; the writer must not be used afterwards. */
  finish(): Buffer[] {
    this.#seal();
    return this.#done;
  }

  #seal(): void {
    if (this.#at > 0) this.#done.push(this.#chunk.subarray(0, this.#at));
    this.#at = 0;
  }
}
