import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const src = join(root, "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);
}

// DESIGN §8: core → crypto → merkle → ledger → esign → service → http/cli.
const ORDER = ["core", "crypto", "merkle", "ledger", "esign", "service"];
const DOMAIN = new Set(ORDER);
const FORBIDDEN_IN_DOMAIN = [
  /^express/,
  /^level/,
  /^classic-level/,
  /^pdf-lib/,
  /^(node:)?fs(\/|$)/,
  /^(node:)?fs\/promises$/,
];

describe("architecture", () => {
  const all = files(src).map((f) => ({
    file: relative(src, f),
    area: relative(src, f).split("/")[0] as string,
    deps: imports(f),
  }));

  it("finds the source tree and sees its imports (so the checks below can fail)", () => {
    expect(all.length).toBeGreaterThan(20);
    expect(all.find((f) => f.file === "storage/level-store.ts")?.deps).toContain("level");
  });

  it("keeps express, level, pdf-lib and node:fs out of domain code", () => {
    const bad = all
      .filter((f) => DOMAIN.has(f.area))
      .flatMap((f) =>
        f.deps
          .filter((d) => FORBIDDEN_IN_DOMAIN.some((re) => re.test(d)))
          .map((d) => `${f.file} imports ${d}`),
      );
    expect(bad).toEqual([]);
  });

  it("points domain dependencies one way only", () => {
    const bad = all
      .filter((f) => DOMAIN.has(f.area))
      .flatMap((f) =>
        f.deps
          .filter((d) => d.startsWith("."))
          .map((d) => relative(src, join(src, f.file, "..", d)).split("/")[0] as string)
          .filter(
            (target) =>
              target !== f.area && (!DOMAIN.has(target) || ORDER.indexOf(target) > ORDER.indexOf(f.area)),
          )
          .map((target) => `${f.file} (${f.area}) depends on ${target}`),
      );
    expect(bad).toEqual([]);
  });

  it("reads process.env only in the CLI entry point", () => {
    const readers = all
      .filter((f) => readFileSync(join(src, f.file), "utf8").includes("process.env"))
      .map((f) => f.file);
    expect(readers.every((f) => f.startsWith("cli/"))).toBe(true);
  });
});
