/**
 * What the visible seal shows, checked before anything is drawn.
 */
import { ValidationError } from "../core/errors.js";

export interface SealSigner {
  name: string;
  /** A role id (applicant, respondent, mediator, …) or the words to print. */
  role: string;
}

export interface SealSpec {
  /** The centre's name along the top arc, e.g. 示例人民调解委员会. */
  centreName: string;
  /** The words under the star; default 调解协议 电子签章. */
  label?: string;
  evidenceId: string;
  /** SHA-256 (lowercase hex) of the registered agreement; printed shortened. */
  digest: string;
  signers: SealSigner[];
  /** The sealing time printed on the seal; default: the clock's now. */
  time?: Date;
  /** Encoded in the QR code and printed. */
  verifyUrl: string;
  /** "last" (default): the full seal on the last page; "all-edge": also a 骑缝章 strip on every page's right edge. */
  pages?: "last" | "all-edge";
  /** Offset of the printed local time from UTC; default +480 (China Standard Time). */
  utcOffsetMinutes?: number;
}

export interface ResolvedSealSpec extends Required<Omit<SealSpec, "time">> {
  time: Date;
}

const ROLE_NAMES: Record<string, string> = {
  applicant: "申请人",
  respondent: "被申请人",
  mediator: "调解员",
  witness: "见证人",
  agent: "代理人",
};

export function roleLabel(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

const bad = (msg: string) => new ValidationError("INVALID_ARGUMENT", `seal: ${msg}`);

/** How much the seal shows: parties listed, and characters of a name, a role and the centre's name. */
export const SEAL_LIMITS = { signers: 20, name: 32, role: 16, centreName: 24 } as const;

/** Why the seal could not print `v` in a field of at most `max` characters, or undefined. */
export function sealTextProblem(
  v: unknown,
  max: number,
): "empty" | "too long" | "control characters" | undefined {
  if (typeof v !== "string" || v.trim() === "") return "empty";
  if ([...v].length > max) return "too long";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(v)) return "control characters";
  return undefined;
}

function text(v: unknown, label: string, max: number): string {
  const problem = sealTextProblem(v, max);
  if (problem === "empty") throw bad(`${label} must be a non-empty string`);
  if (problem === "too long") throw bad(`${label} is longer than ${max} characters`);
  if (problem === "control characters") throw bad(`${label} contains control characters`);
  return (v as string).trim();
}

export function resolveSealSpec(spec: SealSpec, now: Date): ResolvedSealSpec {
  if (!spec || typeof spec !== "object") throw bad("expected a seal description");
  const centreName = text(spec.centreName, "centreName", SEAL_LIMITS.centreName);
  const label = spec.label === undefined ? "调解协议 电子签章" : text(spec.label, "label", 16);
  const evidenceId = text(spec.evidenceId, "evidenceId", 48);
  if (!/^[\x21-\x7e]+$/.test(evidenceId)) throw bad("evidenceId must be printable ASCII without spaces");
  if (typeof spec.digest !== "string" || !/^[0-9a-f]{64}$/.test(spec.digest))
    throw bad("digest must be 64 lowercase hex digits");
  if (!Array.isArray(spec.signers) || spec.signers.length > SEAL_LIMITS.signers)
    throw bad(`signers must be an array of at most ${SEAL_LIMITS.signers}`);
  const signers = spec.signers.map((s, i) => ({
    name: text(s?.name, `signers[${i}].name`, SEAL_LIMITS.name),
    role: text(s?.role, `signers[${i}].role`, SEAL_LIMITS.role),
  }));
  const verifyUrl = text(spec.verifyUrl, "verifyUrl", 512);
  if (!/^https?:\/\/[\x21-\x7e]+$/.test(verifyUrl))
    throw bad("verifyUrl must be an http(s) URL of printable ASCII");
  const time = spec.time ?? now;
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw bad("time must be a valid Date");
  const pages = spec.pages ?? "last";
  if (pages !== "last" && pages !== "all-edge") throw bad('pages must be "last" or "all-edge"');
  const utcOffsetMinutes = spec.utcOffsetMinutes ?? 480;
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60)
    throw bad("utcOffsetMinutes out of range");
  return {
    centreName,
    label,
    evidenceId,
    digest: spec.digest,
    signers,
    time,
    verifyUrl,
    pages,
    utcOffsetMinutes,
  };
}

/** "2026年11月26日 18:00 (UTC+8)" in the given offset. */
export function formatSealTime(t: Date, offsetMinutes: number): string {
  const d = new Date(t.getTime() + offsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const off = abs % 60 === 0 ? `${abs / 60}` : `${Math.floor(abs / 60)}:${p(abs % 60)}`;
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} (UTC${sign}${off})`;
}
