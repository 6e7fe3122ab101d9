import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { batchBodySchema, quickBatchBody } from "../../src/http/routes/evidence.js";
import { quickVerifyBody, verifyBody } from "../../src/http/routes/verify.js";
import { evidenceInput, quickEvidenceInput } from "../../src/service/deposit-evidence.js";
import { seededBytes } from "../helpers/ledger.js";

const D = "ab".repeat(32);

/** Bodies near the edges of both schemas: what a quick check takes, zod must give alike. */
const bodies: unknown[] = [
  { sha256: D },
  { sha256: D, size: 0 },
  { sha256: D, size: -0 },
  { sha256: D, size: Number.MAX_SAFE_INTEGER },
  { sha256: D, size: Number.MAX_SAFE_INTEGER + 1 },
  { sha256: D, size: -1 },
  { sha256: D, size: 1.5 },
  { sha256: D, size: "12" },
  { sha256: D, size: null },
  { sha256: D, size: undefined },
  { sha256: D, title: "contract scan" },
  { sha256: D, title: "  padded  " },
  { sha256: D, title: "\u3000全角空白\u3000" },
  { sha256: D, title: "   " },
  { sha256: D, title: "" },
  { sha256: D, title: "x".repeat(200) },
  { sha256: D, title: ` ${"x".repeat(200)} ` },
  { sha256: D, title: "x".repeat(201) },
  { sha256: D, title: "😀".repeat(100) },
  { sha256: D, title: "😀".repeat(101) },
  { sha256: D, title: 7 },
  { sha256: D, meta: D },
  { sha256: D, meta: D.toUpperCase() },
  { sha256: D, meta: "" },
  { sha256: D, size: 3, title: "t", meta: D },
  { sha256: D, extra: 1 },
  { sha256: D, __proto__: { size: 1 } },
  JSON.parse(`{"sha256":"${D}","__proto__":{"x":1}}`),
  { sha256: D.toUpperCase() },
  { sha256: D.slice(1) },
  { sha256: `${D}0` },
  { sha256: ` ${D}` },
  { sha256: 5 },
  { sha256: [D] },
  {},
  [],
  Object.assign([], { sha256: D }),
  null,
  D,
  7,
  undefined,
];

/** Random bodies from pieces that are each valid or just not. */
function randomBodies(n: number): unknown[] {
  const bytes = seededBytes(42);
  const pick = <T>(xs: readonly T[]) => xs[(bytes(1)[0] as number) % xs.length] as T;
  const values = [D, D.toUpperCase(), "", " t ", "x".repeat(201), 0, -1, 2.5, null, true, [], {}];
  const keys = ["sha256", "size", "title", "meta", "other"];
  return Array.from({ length: n }, () => {
    // Mostly with a valid digest, so the other fields decide.
    const o: Record<string, unknown> = { sha256: (bytes(1)[0] as number) < 200 ? D : pick(values) };
    const count = (bytes(1)[0] as number) % 5;
    for (let i = 0; i < count; i++) o[pick(keys)] = pick(values);
    return o;
  });
}

/** The quick check either declines or gives exactly what the schema gives; how many it answered. */
function heldToSchema(quick: (x: unknown) => unknown, schema: z.ZodType, xs: readonly unknown[]): number {
  let answered = 0;
  for (const x of xs) {
    const fast = quick(x);
    if (fast === undefined) continue;
    answered++;
    const r = schema.safeParse(x);
    expect(r.success, JSON.stringify(x)).toBe(true);
    expect(fast, JSON.stringify(x)).toStrictEqual(r.data);
  }
  return answered;
}

describe("quick body checks", () => {
  it("give what the deposit schema gives, or decline", () => {
    const answered = heldToSchema(quickEvidenceInput, evidenceInput, [...bodies, ...randomBodies(2000)]);
    expect(answered).toBeGreaterThan(100);
  });

  it("give what the verify schema gives, or decline", () => {
    expect(heldToSchema(quickVerifyBody, verifyBody, [...bodies, ...randomBodies(2000)])).toBeGreaterThan(
      100,
    );
  });

  it("give what the batch schema gives, or decline", () => {
    const schema = batchBodySchema(3);
    const quick = quickBatchBody(3);
    const some = [...bodies, ...randomBodies(300)];
    const batches: unknown[] = [
      { items: [] },
      { items: [{ sha256: D }, { sha256: D, title: " t " }] },
      { items: [{ sha256: D }, { sha256: D }, { sha256: D }, { sha256: D }] },
      { items: [{ sha256: D }], more: 1 },
      { items: { 0: { sha256: D }, length: 1 } },
      [{ sha256: D }],
      ...some.map((x) => ({ items: [x] })),
      ...some.map((x, i) => ({ items: [{ sha256: D }, x, some[(i * 7) % some.length]] })),
    ];
    expect(heldToSchema(quick, schema, batches)).toBeGreaterThan(50);
  });

  it("answer for the usual well-formed bodies, so the hot paths skip the schema", () => {
    expect(quickVerifyBody({ sha256: D })).toEqual({ sha256: D });
    for (const x of [
      { sha256: D },
      { sha256: D, size: 3, title: "  contract  ", meta: D },
      { sha256: D, title: "x".repeat(200) },
    ])
      expect(quickEvidenceInput(x), JSON.stringify(x)).toEqual(evidenceInput.parse(x));
  });
});
