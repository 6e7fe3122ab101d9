// Bit arithmetic on safe integers. JavaScript's bitwise operators truncate to
// 32 bits, and tree sizes may exceed 2^32, so shifts are exact divisions.

export function half(n: number): number {
  return Math.floor(n / 2);
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** Number of bits needed to write n (0 for 0). */
export function bitLength(n: number): number {
  return n < 2 ** 32 ? 32 - Math.clz32(n) : 32 + bitLength(Math.floor(n / 2 ** 32));
}

/** Trailing zero bits of a positive integer. */
export function trailingZeros(n: number): number {
  let z = 0;
  for (let x = n; x % 2 === 0; x /= 2) z++;
  return z;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** (bitLength(n) - 1) === n;
}
