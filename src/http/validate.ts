import type { z } from "zod";
import { type ErrorCode, ValidationError } from "../core/errors.js";

/** The code a bad value of a well-known field gets, so clients can tell a bad digest from a bad index. */
const FIELD_CODES: Readonly<Record<string, ErrorCode>> = { sha256: "INVALID_DIGEST" };

/** In a path or query, these name positions and sizes of the tree (in a body, `size` is a file's size). */
const TREE_FIELD_CODES: Readonly<Record<string, ErrorCode>> = {
  index: "INVALID_INDEX",
  size: "INVALID_SIZE",
  from: "INVALID_SIZE",
  to: "INVALID_SIZE",
};

/** Parses untrusted input with a zod schema; the first issue becomes a ValidationError with a field code. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: "path" | "query" | "body",
  codes: Readonly<Record<string, ErrorCode>> = {},
): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path ?? [];
  const field = [...path].reverse().find((p): p is string => typeof p === "string");
  const defaults = where === "body" ? FIELD_CODES : { ...FIELD_CODES, ...TREE_FIELD_CODES };
  const code = (field && (codes[field] ?? defaults[field])) || "INVALID_ARGUMENT";
  const at = path.length ? `${where} ${path.join(".")}` : where;
  throw new ValidationError(code, `${at}: ${plainMessage(issue, where)}`);
}

/** zod's message, said plainly for the two mistakes its wording hides: a missing value, a repeated query parameter. */
function plainMessage(issue: z.core.$ZodIssue | undefined, where: "path" | "query" | "body"): string {
  if (issue?.code === "invalid_type") {
    const received = / received (\w+)$/.exec(issue.message)?.[1];
    if (received === "undefined") return "is required";
    if (received === "array" && issue.expected !== "array" && where === "query")
      return "is given more than once; give it once";
  }
  return issue?.message ?? "invalid";
}
