const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

const escapeUnit = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/**
 * Makes JSON text pure ASCII by writing every other UTF-16 code unit as a
 * \uXXXX escape (RFC 8259 §7; a surrogate pair becomes two escapes, as the
 * RFC spells it). The value parses back the same; the text is then its own
 * UTF-8, one byte per character, which V8 stores and Node writes without
 * transcoding. Checkpoints carry an em dash, which otherwise makes every
 * receipt (and every answer holding one) a two-byte string.
 */
function asciiOnly(json: string): string {
  if (!NON_ASCII.test(json)) return json;
  // V8 keeps a string derived from a two-byte one two-byte even when it is all ASCII:
  // decoding its bytes makes a one-byte string (half the memory, and written as is).
  return latin1.decode(encoder.encode(json.replace(NON_ASCII_ALL, escapeUnit)));
}

/** JSON.stringify with pure ASCII output (see asciiOnly). */
export function asciiJson(value: unknown): string {
  return asciiOnly(JSON.stringify(value));
}

let _numberSink = Number.NaN;

/**
 * The same string, flat: V8 turns a rope (a string built by concatenation)
 * into one flat string in place when it converts it to a number, the idiom of
 * the flatstr package. For text made once and written many times, such as a
 * cached verdict, whose rope would otherwise be walked and copied on every
 * answer. The result is kept so that the optimiser cannot drop the conversion.
 */
export function flattened(s: string): string {
  _numberSink = Number(s);
  return s;
}
