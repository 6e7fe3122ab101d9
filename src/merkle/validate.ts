import { ValidationError } from "../core/errors.js";

// Tree sizes and indices are plain numbers; safe integers keep every
// shift-by-division in this module exact (2^53 leaves is far beyond any log).
function isCount(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

export function checkSize(size: unknown, label = "size"): number {
  if (!isCount(size)) {
    throw new ValidationError("INVALID_SIZE", `${label}: expected a non-negative safe integer`);
  }
  return size;
}

/** Validates `size` and then that `index` names one of its leaves. */
export function checkIndex(index: unknown, size: unknown): number {
  const n = checkSize(size);
  if (!isCount(index)) {
    throw new ValidationError("INVALID_INDEX", "index: expected a non-negative safe integer");
  }
  if (index >= n) throw new ValidationError("INVALID_INDEX", `index ${index} is not below tree size ${n}`);
  return index;
}

/**
 * 0 < size1 <= size2. size1 = 0 is refused even though every tree extends the
 * empty one: such a "proof" carries no information, so asking for one is a bug.
 */
export function checkSizes(size1: unknown, size2: unknown): void {
  const a = checkSize(size1, "size1");
  const b = checkSize(size2, "size2");
  if (a === 0) throw new ValidationError("INVALID_SIZE", "size1 must be positive for a consistency proof");
  if (a > b) throw new ValidationError("INVALID_SIZE", `size1 ${a} exceeds size2 ${b}`);
}
