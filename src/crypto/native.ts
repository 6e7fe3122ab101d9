/**
 * Node's OpenSSL-backed primitives, loaded only where Node is the runtime.
 * Browsers (and bundles built for them) get `undefined` and fall back to the
 * portable noble implementations; test/crypto/backends.test.ts proves the
 * two agree on every published vector.
 */
type NodeCrypto = typeof import("node:crypto");

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

export const nodeCrypto: NodeCrypto | undefined = isNode ? await import("node:crypto") : undefined;
