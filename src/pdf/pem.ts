/** PEM armour (RFC 7468 §2): strict base64 between one BEGIN/END pair of the given label. */
import { fromBase64, toBase64 } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";

export function toPem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export function fromPem(label: string, pem: string): Uint8Array {
  if (typeof pem !== "string") throw new ValidationError("MALFORMED_KEY", `${label}: expected a PEM string`);
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!m) throw new ValidationError("MALFORMED_KEY", `expected a PEM block "BEGIN ${label}"`);
  return fromBase64((m[1] as string).replace(/\s+/g, ""), `${label} PEM`);
}
