// Shared helpers for the benchmarks: timing, percentiles, temp dirs, RSS sampling.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `notarium-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `fn` `times` times and returns the median of its numeric result. */
export async function medianOf(times, fn) {
  const xs = [];
  for (let i = 0; i < times; i++) xs.push(await fn(i));
  return median(xs);
}

/** Samples a process's resident set size from /proc until stopped; returns the peak in bytes. */
export function sampleRss(pid, everyMs = 20) {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {}
  };
  read();
  const t = setInterval(read, everyMs);
  return {
    stop: () => {
      clearInterval(t);
      read();
      return peak;
    },
    get peak() {
      return peak;
    },
  };
}

export function row(name, value, unit, baselineName, baselineValue, target, pass) {
  const ratio = baselineValue ? value / baselineValue : undefined;
  return { name, value, unit, baselineName, baselineValue, ratio, target, pass };
}

/**
 * Waits until this process (every thread: the service under test runs here, with LevelDB's
 * compaction thread) has been quiet for `windowMs`, using under `share` of one core, or until
 * `maxMs` have passed. A phase that writes much (batch deposits: 150,000 entries in 5 s) leaves
 * LevelDB compacting for seconds afterwards, and the next phase would otherwise measure that too.
 * Returns the milliseconds waited.
 */
export async function waitForQuiet({ windowMs = 500, share = 0.1, maxMs = 30_000 } = {}) {
  const start = performance.now();
  for (;;) {
    const before = process.cpuUsage();
    const t = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const used = process.cpuUsage(before);
    const busy = (used.user + used.system) / 1000 / (performance.now() - t);
    const waited = performance.now() - start;
    if (busy < share || waited >= maxMs) return Math.round(waited);
  }
}
