import { toHex, toBase64 } from "../dist/core/bytes.js";
import { randomBytes } from "node:crypto";
const HEX = new Uint8Array(512); const hc = "0123456789abcdef";
for (let i = 0; i < 256; i++) { HEX[2*i] = hc.charCodeAt(i >> 4); HEX[2*i+1] = hc.charCodeAt(i & 15); }
const dec = new TextDecoder("latin1");
function hex2(b) { const out = new Uint8Array(b.length * 2); for (let i = 0; i < b.length; i++) { const v = b[i] * 2; out[2*i] = HEX[v]; out[2*i+1] = HEX[v+1]; } return dec.decode(out); }
const hexPairs = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function hex3(b) { const parts = new Array(b.length); for (let i = 0; i < b.length; i++) parts[i] = hexPairs[b[i]]; return parts.join(""); }
function hex4(b) { const codes = new Array(b.length*2); for (let i = 0; i < b.length; i++) { const v = b[i]*2; codes[2*i] = HEX[v]; codes[2*i+1] = HEX[v+1]; } return String.fromCharCode.apply(null, codes); }
const B64 = new TextEncoder().encode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
function b64(b) { const out = new Uint8Array(Math.ceil(b.length / 3) * 4); let o = 0, i = 0;
  for (; i + 2 < b.length; i += 3) { const n = (b[i] << 16) | (b[i+1] << 8) | b[i+2]; out[o++] = B64[n >> 18]; out[o++] = B64[(n >> 12) & 63]; out[o++] = B64[(n >> 6) & 63]; out[o++] = B64[n & 63]; }
  const rest = b.length - i; if (rest === 1) { const n = b[i] << 16; out[o++] = B64[n >> 18]; out[o++] = B64[(n >> 12) & 63]; out[o++] = 61; out[o++] = 61; }
  else if (rest === 2) { const n = (b[i] << 16) | (b[i+1] << 8); out[o++] = B64[n >> 18]; out[o++] = B64[(n >> 12) & 63]; out[o++] = B64[(n >> 6) & 63]; out[o++] = 61; }
  return dec.decode(out); }
const hs = Array.from({ length: 2000 }, () => new Uint8Array(randomBytes(32)));
const es = Array.from({ length: 200 }, () => new Uint8Array(randomBytes(230)));
for (const [n, f] of [["toHex", toHex], ["hex2 TextDecoder", hex2], ["hex3 join", hex3], ["hex4 fromCharCode", hex4]]) {
  for (const h of hs) if (f(h) !== toHex(h)) throw new Error(n);
  let t = performance.now(); let k = 0; for (let r = 0; r < 200; r++) for (const h of hs) k += f(h).length; console.log(n, ((performance.now() - t) / 400000 * 1e3).toFixed(3), "us/hash");
}
for (const [n, f] of [["toBase64", toBase64], ["b64 TextDecoder", b64]]) {
  for (const h of es) if (f(h) !== toBase64(h)) throw new Error(n);
  let t = performance.now(); let k = 0; for (let r = 0; r < 500; r++) for (const h of es) k += f(h).length; console.log(n, ((performance.now() - t) / 100000 * 1e3).toFixed(3), "us/230B");
}
