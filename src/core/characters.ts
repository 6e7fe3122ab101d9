/** Characters as people can look them up: `𠮷 (U+20BB7), 𪚥 (U+2A6A5)`. */
export function nameCharacters(chars: readonly string[]): string {
  return chars
    .map((ch) => `${ch} (U+${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")})`)
    .join(", ");
}
