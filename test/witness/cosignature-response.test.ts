import { describe, expect, it } from "vitest";
import { cosign } from "../../src/crypto/cosignature.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { parseNote } from "../../src/crypto/signed-note.js";
import { pickCosignature } from "../../src/witness/cosignature-response.js";
import { handTree, NOW_SECONDS, testCosigner, testLog } from "./helpers.js";

const log = testLog();
const tree = handTree(4);
const text = parseNote(log.sign(3, tree.root(3))).text;
const other = parseNote(log.sign(2, tree.root(2))).text;
const a = testCosigner("test.notarium.invalid/court-a", 21);
const stranger = testCosigner("test.notarium.invalid/court-x", 29);
const verifier = createVerifier(a.vkey);

describe("pickCosignature (reading a 200 add-checkpoint answer)", () => {
  it("finds this witness's line among unknown keys and junk lines", () => {
    const line = cosign(text, a.cosigner, NOW_SECONDS);
    const body = `${cosign(text, stranger.cosigner, NOW_SECONDS)}not a signature line\n${line}`;
    expect(pickCosignature(text, body, verifier, NOW_SECONDS)).toEqual({
      ok: true,
      line,
      timestamp: NOW_SECONDS,
    });
  });

  it("skips a failing line from the key when a later one verifies", () => {
    const good = cosign(text, a.cosigner, NOW_SECONDS);
    const replayed = cosign(other, a.cosigner, NOW_SECONDS - 60); // a cosignature of another checkpoint
    expect(pickCosignature(text, `${replayed}${good}`, verifier, NOW_SECONDS)).toMatchObject({
      ok: true,
      line: good,
    });
    expect(pickCosignature(text, replayed, verifier, NOW_SECONDS)).toMatchObject({ ok: false });
  });

  it("refuses a cosignature stamped after notAfter, and an answer without the key", () => {
    const future = cosign(text, a.cosigner, NOW_SECONDS + 3600);
    expect(pickCosignature(text, future, verifier, NOW_SECONDS)).toEqual({
      ok: false,
      detail: `cosignature time ${NOW_SECONDS + 3600} is in the future`,
    });
    expect(
      pickCosignature(text, cosign(text, stranger.cosigner, NOW_SECONDS), verifier, NOW_SECONDS),
    ).toEqual({
      ok: false,
      detail: "no cosignature line from this witness's key",
    });
    expect(pickCosignature(text, "", verifier, NOW_SECONDS).ok).toBe(false);
  });
});
