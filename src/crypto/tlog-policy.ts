import { toHex } from "../core/bytes.js";
import { ValidationError, VerificationError } from "../core/errors.js";
import { type ParsedCheckpoint, parseCheckpoint } from "./checkpoint.js";
import { type Cosignature, cosignaturesOf } from "./cosignature.js";
import {
  createVerifier,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  type NoteKeyType,
  parseVerifierKey,
} from "./note-keys.js";
import { type Note, parseNote, type VerifiedSignature, verifyNote } from "./signed-note.js";

/**
 * Transparency log trust policies, c2sp.org/tlog-policy: which logs are
 * trusted, which witnesses exist, and the quorum of cosignatures a checkpoint needs.
 */

export interface PolicyLog {
  /** §Defining a log: an Ed25519 (0x01) vkey whose key name is the log's origin. */
  vkey: string;
  url?: string;
}

export interface PolicyWitness {
  /** Policy-local name, used only by groups and the quorum. */
  name: string;
  /** §Defining a witness: a cosignature (0x04) vkey. */
  vkey: string;
  url?: string;
}

/** §Defining a witness group: `all`, `any`, or a number k with 1 <= k <= n. */
export type GroupThreshold = "all" | "any" | number;

export interface PolicyGroup {
  name: string;
  threshold: GroupThreshold;
  members: string[];
}

export interface TlogPolicy {
  logs: PolicyLog[];
  witnesses: PolicyWitness[];
  groups: PolicyGroup[];
  /** §Defining the quorum: a witness or group name, or `none`. */
  quorum: string;
}

export interface PolicyCosignature extends Cosignature {
  /** The witness's name in the policy. */
  witness: string;
}

export interface PolicyVerifiedCheckpoint {
  checkpoint: ParsedCheckpoint;
  note: Note;
  /** The verified signature of a policy log. */
  log: VerifiedSignature;
  /** Verified cosignatures of policy witnesses, with their times. */
  cosignatures: PolicyCosignature[];
}

/** §What is a "policy"?: the predefined name that makes the quorum require no cosignatures. */
export const QUORUM_NONE = "none";

const WHITESPACE = /[ \t]+/;
const THRESHOLD = /^[1-9][0-9]*$/;

/** A refusal naming the line at fault (0: the file as a whole). */
function malformed(line: number, message: string, cause?: unknown): ValidationError {
  return new ValidationError("MALFORMED_POLICY", `policy${line > 0 ? ` line ${line}` : ""}: ${message}`, {
    cause,
  });
}

/** §Character set: only tab, newline, 0x20-0x7E and non-ASCII. */
function hasForbiddenChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

function thresholdOf(g: PolicyGroup): number {
  return g.threshold === "all" ? g.members.length : g.threshold === "any" ? 1 : g.threshold;
}

/** Parses a policy file (§Policy file syntax and structure). Every error is MALFORMED_POLICY. */
export function parsePolicy(text: string): TlogPolicy {
  if (typeof text !== "string" || text.length === 0)
    throw malformed(0, "the file is empty; it needs at least a log line and a quorum line");
  if (!text.endsWith("\n")) throw malformed(0, "the last line must end with a newline");
  if (hasForbiddenChars(text)) {
    const lines = text.split("\n");
    const at = lines.findIndex(hasForbiddenChars);
    throw malformed(
      at + 1,
      (lines[at] as string).endsWith("\r")
        ? "ends with a carriage return (CRLF): save the file with LF line endings"
        : "only tab and newline are allowed as control characters",
    );
  }
  const policy: TlogPolicy = { logs: [], witnesses: [], groups: [], quorum: "" };
  const defined = new Set<string>();
  const usedAsMember = new Set<string>();
  const keysSeen = { [KEY_TYPE_ED25519]: new Set<string>(), [KEY_TYPE_COSIGNATURE_V1]: new Set<string>() };
  let quorumSeen = false;
  const key = (n: number, vkey: string, type: NoteKeyType, what: string) => {
    let k: ReturnType<typeof parseVerifierKey>;
    try {
      k = parseVerifierKey(vkey);
    } catch (cause) {
      throw malformed(n, `invalid ${what} vkey`, cause);
    }
    if (k.type !== type) throw malformed(n, `${what} vkey must have signature type 0x0${type}`);
    const id = toHex(k.publicKey);
    if (keysSeen[type].has(id)) throw malformed(n, `duplicate ${what} public key`);
    keysSeen[type].add(id);
  };
  const newName = (n: number, name: string) => {
    if (name === QUORUM_NONE || defined.has(name)) throw malformed(n, `name "${name}" is already defined`);
    defined.add(name);
  };
  const lines = text.slice(0, -1).split("\n");
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (line === "" || line.startsWith("#")) return;
    const [keyword, ...args] = line.split(WHITESPACE) as [string, ...string[]];
    if (keyword === "log") {
      if (args.length < 1 || args.length > 2) throw malformed(n, "expected: log <vkey> [<url>]");
      key(n, args[0] as string, KEY_TYPE_ED25519, "log");
      policy.logs.push(
        args.length === 2 ? { vkey: args[0] as string, url: args[1] as string } : { vkey: args[0] as string },
      );
    } else if (keyword === "witness") {
      if (args.length < 2 || args.length > 3) throw malformed(n, "expected: witness <name> <vkey> [<url>]");
      const [name, vkey, url] = args as [string, string, string | undefined];
      key(n, vkey, KEY_TYPE_COSIGNATURE_V1, "witness");
      newName(n, name);
      policy.witnesses.push(url === undefined ? { name, vkey } : { name, vkey, url });
    } else if (keyword === "group") {
      if (args.length < 3) throw malformed(n, "expected: group <name> <all|any|k> <member>...");
      const [name, k, ...members] = args as [string, string, ...string[]];
      let threshold: GroupThreshold;
      if (k === "all" || k === "any") threshold = k;
      else if (THRESHOLD.test(k) && Number(k) <= members.length) threshold = Number(k);
      else throw malformed(n, `threshold must be all, any or 1..${members.length}`);
      for (const m of members) {
        if (!defined.has(m)) throw malformed(n, `member "${m}" is not defined on a preceding line`);
        if (usedAsMember.has(m)) throw malformed(n, `"${m}" is already listed as a group member`);
        usedAsMember.add(m);
      }
      newName(n, name);
      policy.groups.push({ name, threshold, members });
    } else if (keyword === "quorum") {
      if (args.length !== 1) throw malformed(n, "expected: quorum <name>");
      if (quorumSeen) throw malformed(n, "exactly one quorum line is allowed");
      const name = args[0] as string;
      if (name !== QUORUM_NONE && !defined.has(name))
        throw malformed(n, `quorum "${name}" is not defined earlier`);
      policy.quorum = name;
      quorumSeen = true;
    } else {
      throw malformed(n, `unknown keyword "${keyword}"`);
    }
  });
  if (!quorumSeen) throw malformed(lines.length, "the policy has no quorum line");
  return policy;
}

/** Formats a policy canonically: logs, witnesses, groups (in order), then the quorum; single spaces, no comments. */
export function formatPolicy(policy: TlogPolicy): string {
  const url = (u: string | undefined) => (u === undefined ? "" : ` ${u}`);
  const lines = [
    ...policy.logs.map((l) => `log ${l.vkey}${url(l.url)}`),
    ...policy.witnesses.map((w) => `witness ${w.name} ${w.vkey}${url(w.url)}`),
    ...policy.groups.map((g) => `group ${g.name} ${g.threshold} ${g.members.join(" ")}`),
    `quorum ${policy.quorum}`,
  ];
  const text = `${lines.join("\n")}\n`;
  parsePolicy(text); // refuse to emit anything we would not accept
  return text;
}

/** Whether the witnesses named (policy names) satisfy the policy's quorum (§Defining a witness group). */
export function evaluateQuorum(policy: TlogPolicy, verifiedWitnessNames: Iterable<string>): boolean {
  const witnessed = new Set(verifiedWitnessNames);
  const witnesses = new Set(policy.witnesses.map((w) => w.name));
  const groups = new Map(policy.groups.map((g) => [g.name, g]));
  const memo = new Map<string, boolean>();
  const holds = (name: string, depth: number): boolean => {
    const group = groups.get(name);
    if (!group) return witnesses.has(name) && witnessed.has(name);
    if (depth > groups.size) return false; // only a hand-built cyclic policy gets here
    let v = memo.get(name);
    if (v === undefined) {
      v = group.members.filter((m) => holds(m, depth + 1)).length >= thresholdOf(group);
      memo.set(name, v);
    }
    return v;
  };
  return policy.quorum === QUORUM_NONE || holds(policy.quorum, 0);
}

/**
 * Verifies a signed checkpoint against a policy: a listed log named after the
 * origin must have signed it, any signature from a listed key must verify, and
 * the verified witness cosignatures must satisfy the quorum (QUORUM_NOT_MET).
 */
export function verifyCheckpointWithPolicy(
  noteText: string | Uint8Array,
  policy: TlogPolicy,
  origin?: string,
): PolicyVerifiedCheckpoint {
  const note = parseNote(noteText);
  const checkpoint = parseCheckpoint(note.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new VerificationError(
      "ORIGIN_MISMATCH",
      `checkpoint origin "${checkpoint.origin}" is not "${origin}"`,
    );
  }
  const logs = policy.logs.map((l) => createVerifier(l.vkey)).filter((v) => v.name === checkpoint.origin);
  if (logs.length === 0) {
    throw new VerificationError("ORIGIN_MISMATCH", `no log in the policy has origin "${checkpoint.origin}"`);
  }
  const byKey = new Map<string, string>();
  const witnesses = policy.witnesses.map((w) => {
    const v = createVerifier(w.vkey);
    byKey.set(`${v.name}\n${toHex(v.keyId)}`, w.name);
    return v;
  });
  // NO_TRUSTED_SIGNATURE when nothing verifies; SIGNATURE_INVALID when a listed key's signature fails.
  const verified = verifyNote(note, [...logs, ...witnesses]);
  const log = verified.verified.find((s) => s.verifier.type === KEY_TYPE_ED25519);
  if (!log) throw new VerificationError("NO_TRUSTED_SIGNATURE", "checkpoint is not signed by a policy log");
  const cosignatures = cosignaturesOf(verified.verified).map((c) => ({
    ...c,
    witness: byKey.get(`${c.name}\n${toHex(c.signature.keyId)}`) as string,
  }));
  const cosigned = cosignatures.map((c) => c.witness);
  if (!evaluateQuorum(policy, cosigned)) {
    const message = "the witness cosignatures do not satisfy the policy quorum";
    throw new VerificationError("QUORUM_NOT_MET", message, { details: { cosigned } });
  }
  return { checkpoint, note, log, cosignatures };
}
