import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { ValidationError, VerificationError } from "../../src/core/errors.js";
import { formatCheckpoint, signCheckpoint } from "../../src/crypto/checkpoint.js";
import { cosign } from "../../src/crypto/cosignature.js";
import {
  type CosignatureSigner,
  createCosigner,
  createSigner,
  formatVerifierKey,
  type NoteSigner,
} from "../../src/crypto/note-keys.js";
import { formatSignatureLine } from "../../src/crypto/signed-note.js";
import {
  evaluateQuorum,
  formatPolicy,
  parsePolicy,
  type TlogPolicy,
  verifyCheckpointWithPolicy,
} from "../../src/crypto/tlog-policy.js";
import { parseTlogProof } from "../../src/crypto/tlog-proof.js";
import { expectCode, fixture, testBytes } from "./helpers.js";

const vkeyOf = (s: NoteSigner) => formatVerifierKey(s.name, s.type, s.publicKey);
const log = createSigner("example.com/log", testBytes(32, 1));
const w = [1, 2, 3, 4, 5, 6].map((i) => createCosigner(`witness${i}.example`, testBytes(32, 10 + i)));
const [wA, wB, wC] = w as [CosignatureSigner, CosignatureSigner, CosignatureSigner];
const LOG = vkeyOf(log);
const W = w.map(vkeyOf);

// The example of c2sp.org/tlog-policy §Example policy, with keys filled in.
const EXAMPLE = `log ${LOG}

witness X1 ${W[0]}
witness X2 ${W[1]}
witness X3 ${W[2]}
group X-witnesses 2 X1 X2 X3

witness Y1 ${W[3]}
witness Y2 ${W[4]}
witness Y3 ${W[5]}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
`;

const cp = { origin: "example.com/log", size: 10, root: testBytes(32, 7) };
const text = formatCheckpoint(cp);
const signed = (...witnesses: typeof w) =>
  signCheckpoint(cp, log) + witnesses.map((c, i) => cosign(text, c, 1767225600 + i)).join("");
const policyOf = (body: string) => parsePolicy(`log ${LOG}\nwitness A ${W[0]}\nwitness B ${W[1]}\n${body}`);

describe("parsePolicy / formatPolicy", () => {
  it("parse the spec example and format it canonically", () => {
    const p = parsePolicy(EXAMPLE);
    expect(p.logs).toEqual([{ vkey: LOG }]);
    expect(p.witnesses.map((x) => x.name)).toEqual(["X1", "X2", "X3", "Y1", "Y2", "Y3"]);
    expect(p.groups).toEqual([
      { name: "X-witnesses", threshold: 2, members: ["X1", "X2", "X3"] },
      { name: "Y-witnesses", threshold: "any", members: ["Y1", "Y2", "Y3"] },
      { name: "X-and-Y", threshold: "all", members: ["X-witnesses", "Y-witnesses"] },
    ]);
    expect(p.quorum).toBe("X-and-Y");
    const canonical = formatPolicy(p);
    const lines = EXAMPLE.split("\n").filter((l) => l !== "");
    const order = ["log", "witness", "group", "quorum"];
    const sorted = lines.sort(
      (a, b) => order.indexOf(a.split(" ")[0] ?? "") - order.indexOf(b.split(" ")[0] ?? ""),
    );
    expect(canonical).toBe(`${sorted.join("\n")}\n`);
    expect(parsePolicy(canonical)).toEqual(p);
  });

  it("allow comments, blank lines, tabs, surrounding whitespace and URLs", () => {
    const p = parsePolicy(
      `# trust policy\n\n  log\t${LOG}   https://log.example/  \n\t# witnesses\nwitness A ${W[0]} https://w.example/a\nquorum\tA\t\n`,
    );
    expect(p).toEqual({
      logs: [{ vkey: LOG, url: "https://log.example/" }],
      witnesses: [{ name: "A", vkey: W[0], url: "https://w.example/a" }],
      groups: [],
      quorum: "A",
    });
    expect(parsePolicy(formatPolicy(p))).toEqual(p);
    expect(parsePolicy("quorum none\n")).toEqual({ logs: [], witnesses: [], groups: [], quorum: "none" });
  });

  it.each([
    ["no quorum", `log ${LOG}\n`],
    ["two quorum lines", `witness A ${W[0]}\nquorum A\nquorum A\n`],
    ["an undefined quorum", "quorum A\n"],
    ["a quorum before its definition", `quorum A\nwitness A ${W[0]}\n`],
    ["an unknown keyword", "quorum none\nwitnesses A\n"],
    ["a trailing comment", `witness A ${W[0]} # main\nquorum A\n`],
    ["no final newline", "quorum none"],
    ["a carriage return", "quorum none\r\n"],
    ["a control character", "quorum none\n#\u0001\n"],
    ["a log with a cosignature key", `log ${W[0]}\nquorum none\n`],
    ["a witness with a log key", `witness A ${LOG}\nquorum A\n`],
    ["a malformed vkey", `log ${LOG.slice(0, -2)}\nquorum none\n`],
    ["a duplicate log key", `log ${LOG}\nlog ${LOG}\nquorum none\n`],
    ["the same witness key under two names", `witness A ${W[0]}\nwitness B ${W[0]}\nquorum A\n`],
    [
      "the same witness key with another key name",
      `witness A ${W[0]}\nwitness B ${vkeyOf({ ...wA, name: "other" })}\nquorum A\n`,
    ],
    ["a duplicate name", `witness A ${W[0]}\ngroup A any A\nquorum A\n`],
    ["a witness named none", `witness none ${W[0]}\nquorum none\n`],
    ["a group member none", `witness A ${W[0]}\ngroup G any A none\nquorum G\n`],
    ["a group without members", `witness A ${W[0]}\ngroup G any\nquorum none\n`],
    ["threshold 0", `witness A ${W[0]}\ngroup G 0 A\nquorum G\n`],
    ["threshold above n", `witness A ${W[0]}\ngroup G 2 A\nquorum G\n`],
    ["threshold with a leading zero", `witness A ${W[0]}\ngroup G 01 A\nquorum G\n`],
    ["a member listed twice", `witness A ${W[0]}\ngroup G any A A\nquorum G\n`],
    ["a member in two groups", `witness A ${W[0]}\ngroup G any A\ngroup H any A\nquorum G\n`],
    ["a forward group reference", `witness A ${W[0]}\ngroup G any H\ngroup H any A\nquorum G\n`],
    ["a log line with extra fields", `log ${LOG} https://a https://b\nquorum none\n`],
  ])("reject %s", (_, policy) => {
    expectCode(() => parsePolicy(policy), "MALFORMED_POLICY", ValidationError);
  });

  it.each([
    ["", "policy: the file is empty; it needs at least a log line and a quorum line"],
    ["quorum none", "policy: the last line must end with a newline"],
    [
      "# ok\r\nquorum none\r\n",
      "policy line 1: ends with a carriage return (CRLF): save the file with LF line endings",
    ],
    ["quorum none\n#\u0001\n", "policy line 2: only tab and newline are allowed as control characters"],
  ])("say where a whole-file problem is: %j", (policy, message) => {
    expect(() => parsePolicy(policy)).toThrow(message);
  });

  it("refuse to format an invalid policy", () => {
    const p: TlogPolicy = {
      logs: [],
      witnesses: [],
      groups: [{ name: "G", threshold: 1, members: ["A"] }],
      quorum: "G",
    };
    expectCode(() => formatPolicy(p), "MALFORMED_POLICY");
  });
});

describe("evaluateQuorum", () => {
  it("2-of-2 (all)", () => {
    const p = policyOf("group G all A B\nquorum G\n");
    expect(evaluateQuorum(p, ["A", "B"])).toBe(true);
    expect(evaluateQuorum(p, ["A"])).toBe(false);
    expect(evaluateQuorum(p, [])).toBe(false);
  });

  it("1-of-2 (any, or 1)", () => {
    for (const k of ["any", "1"]) {
      const p = policyOf(`group G ${k} A B\nquorum G\n`);
      expect(evaluateQuorum(p, ["B"])).toBe(true);
      expect(evaluateQuorum(p, [])).toBe(false);
      expect(evaluateQuorum(p, ["G", "stranger"])).toBe(false);
    }
  });

  it("none, and a single witness", () => {
    expect(evaluateQuorum(policyOf("quorum none\n"), [])).toBe(true);
    expect(evaluateQuorum(policyOf("quorum A\n"), ["A"])).toBe(true);
    expect(evaluateQuorum(policyOf("quorum A\n"), ["B"])).toBe(false);
  });

  it("nested groups, as in the spec example", () => {
    const p = parsePolicy(EXAMPLE);
    expect(evaluateQuorum(p, ["X1", "X3", "Y2"])).toBe(true);
    expect(evaluateQuorum(p, ["X1", "Y1", "Y2", "Y3"])).toBe(false);
    expect(evaluateQuorum(p, ["X1", "X2", "X3"])).toBe(false);
  });
});

describe("verifyCheckpointWithPolicy", () => {
  it("accept the research example under a one-witness quorum", () => {
    const proof = parseTlogProof(fixture("c2sp/research-example.tlog-proof"));
    const policy = parsePolicy(
      `log ${fixture("c2sp/research-example.log.vkey")}witness court ${fixture("c2sp/research-example.witness.vkey")}quorum court\n`,
    );
    const v = verifyCheckpointWithPolicy(proof.checkpoint, policy, "evidence.example/log1");
    expect(v.checkpoint.size).toBe(3);
    expect(v.log.name).toBe("evidence.example/log1");
    expect(v.cosignatures.map((c) => [c.witness, c.name, c.timestamp])).toEqual([
      ["court", "court.example/witness1", 1767225600],
    ]);
  });

  it("2-of-2, 1-of-2 and none", () => {
    const all = policyOf("group G all A B\nquorum G\n");
    expect(verifyCheckpointWithPolicy(signed(wA, wB), all).cosignatures.map((c) => c.witness)).toEqual([
      "A",
      "B",
    ]);
    expectCode(() => verifyCheckpointWithPolicy(signed(wB), all), "QUORUM_NOT_MET", VerificationError);
    const any = policyOf("group G any A B\nquorum G\n");
    expect(verifyCheckpointWithPolicy(signed(wB), any).cosignatures).toHaveLength(1);
    expectCode(() => verifyCheckpointWithPolicy(signed(), any), "QUORUM_NOT_MET");
    expect(verifyCheckpointWithPolicy(signed(), policyOf("quorum none\n")).cosignatures).toEqual([]);
  });

  it("ignore cosignatures from witnesses not in the policy", () => {
    const any = policyOf("group G any A B\nquorum G\n");
    expectCode(() => verifyCheckpointWithPolicy(signed(wC), any), "QUORUM_NOT_MET");
  });

  it("require a policy log named after the origin, and its signature", () => {
    const p = policyOf("quorum none\n");
    expectCode(() => verifyCheckpointWithPolicy(signed(), p, "example.com/other"), "ORIGIN_MISMATCH");
    const stranger = createSigner("example.com/stranger", testBytes(32, 2));
    const other = signCheckpoint({ ...cp, origin: stranger.name }, stranger);
    expectCode(() => verifyCheckpointWithPolicy(other, p), "ORIGIN_MISMATCH");
    const impostor = createSigner("example.com/log", testBytes(32, 99));
    expectCode(() => verifyCheckpointWithPolicy(signCheckpoint(cp, impostor), p), "NO_TRUSTED_SIGNATURE");
    const cosignedOnly = `${text}\n${cosign(text, wA, 1)}`;
    expectCode(
      () => verifyCheckpointWithPolicy(cosignedOnly, policyOf("quorum A\n")),
      "NO_TRUSTED_SIGNATURE",
    );
  });

  it("reject a bad cosignature from a policy witness", () => {
    const bad = formatSignatureLine({
      name: wA.name,
      keyId: wA.keyId,
      signature: wA.signAt(utf8("other\n"), 5),
    });
    expectCode(
      () => verifyCheckpointWithPolicy(signCheckpoint(cp, log) + bad, policyOf("quorum none\n")),
      "SIGNATURE_INVALID",
    );
  });
});
