import { describe, expect, it } from "vitest";
import { toBase64 } from "../../src/core/bytes.js";
import {
  formatAddCheckpointRequest,
  MAX_PROOF_LINES,
  parseAddCheckpointRequest,
} from "../../src/witness/add-checkpoint-request.js";
import { expectCode, testBytes } from "../crypto/helpers.js";

const CHECKPOINT =
  "example.com/log\n3\nthukDxytlQYqsBh5AHbxY1ksYsQ4U2eZ3vGRTo+ut1s=\n\n— example.com/log AAAA\n";
const H = toBase64(testBytes(32, 7));

describe("add-checkpoint request body (tlog-witness v1.0.0 §add-checkpoint)", () => {
  it("parses the spec's shape: old line, proof lines, empty line, checkpoint", () => {
    const req = parseAddCheckpointRequest(`old 2\n${H}\n${H}\n\n${CHECKPOINT}`);
    expect(req.oldSize).toBe(2);
    expect(req.proof.map(toBase64)).toEqual([H, H]);
    expect(req.checkpoint).toBe(CHECKPOINT);
  });

  it("round-trips through formatAddCheckpointRequest, from bytes too", () => {
    const req = { oldSize: 20852014, proof: [testBytes(32, 1), testBytes(32, 2)], checkpoint: CHECKPOINT };
    const text = formatAddCheckpointRequest(req);
    expect(parseAddCheckpointRequest(text)).toEqual(req);
    expect(parseAddCheckpointRequest(new TextEncoder().encode(text))).toEqual(req);
  });

  it("accepts old 0 with no proof and exactly 63 proof lines", () => {
    expect(parseAddCheckpointRequest(`old 0\n\n${CHECKPOINT}`).proof).toEqual([]);
    const many = `old 5\n${`${H}\n`.repeat(MAX_PROOF_LINES)}\n${CHECKPOINT}`;
    expect(parseAddCheckpointRequest(many).proof).toHaveLength(63);
  });

  const garbage: { desc: string; body: string | Uint8Array }[] = [
    { desc: "empty body", body: "" },
    { desc: "no newline at all", body: "old 0" },
    { desc: "no old line", body: `\n${CHECKPOINT}` },
    { desc: "leading zero", body: `old 01\n\n${CHECKPOINT}` },
    { desc: "negative size", body: `old -1\n\n${CHECKPOINT}` },
    { desc: "two spaces", body: `old  1\n\n${CHECKPOINT}` },
    { desc: "CRLF line ends", body: `old 1\r\n\r\n${CHECKPOINT}` },
    { desc: "size beyond 2^53", body: `old 18446744073709551615\n\n${CHECKPOINT}` },
    { desc: "other keyword", body: `new 1\n\n${CHECKPOINT}` },
    { desc: "no empty line", body: `old 1\n${H}\n` },
    { desc: "no checkpoint", body: `old 1\n${H}\n\n` },
    { desc: "64 proof lines", body: `old 5\n${`${H}\n`.repeat(64)}\n${CHECKPOINT}` },
    { desc: "non-canonical base64", body: `old 1\n${H.slice(0, -2)}x=\n\n${CHECKPOINT}` },
    { desc: "unpadded base64", body: `old 1\n${H.slice(0, -1)}\n\n${CHECKPOINT}` },
    { desc: "31-byte hash", body: `old 1\n${toBase64(testBytes(31))}\n\n${CHECKPOINT}` },
    { desc: "invalid UTF-8", body: Uint8Array.of(0x6f, 0x6c, 0x64, 0x20, 0x30, 0x0a, 0x0a, 0xff, 0x0a) },
    { desc: "JSON", body: '{"old":0}\n\n' },
  ];
  for (const { desc, body } of garbage) {
    it(`refuses garbage: ${desc} (MALFORMED_REQUEST)`, () => {
      expectCode(() => parseAddCheckpointRequest(body), "MALFORMED_REQUEST");
    });
  }

  it("refuses to format what it would not parse", () => {
    expectCode(
      () => formatAddCheckpointRequest({ oldSize: -1, proof: [], checkpoint: CHECKPOINT }),
      "INVALID_ARGUMENT",
    );
    expectCode(
      () => formatAddCheckpointRequest({ oldSize: 1, proof: [testBytes(31)], checkpoint: CHECKPOINT }),
      "INVALID_ARGUMENT",
    );
    const proof = Array.from({ length: 64 }, () => testBytes(32));
    expectCode(
      () => formatAddCheckpointRequest({ oldSize: 1, proof, checkpoint: CHECKPOINT }),
      "INVALID_ARGUMENT",
    );
  });
});
