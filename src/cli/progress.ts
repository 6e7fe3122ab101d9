import cliProgress from "cli-progress";

export interface Progress {
  update(done: number, label?: string): void;
  stop(): void;
}

const none: Progress = { update() {}, stop() {} };

/**
 * A byte-count progress bar on stderr, shown only to a person at a terminal
 * and only for work long enough to need one (large or many files).
 */
export function createProgress(total: number, files: number): Progress {
  if (!process.stderr.isTTY || (total < 64 * 1024 * 1024 && files < 20)) return none;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "hashing [{bar}] {percentage}% | {doneMiB}/{totalMiB} MiB | {speed} MiB/s | {label}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const mib = (n: number) => (n / 1048576).toFixed(0);
  const t0 = Date.now();
  bar.start(total, 0, { doneMiB: "0", totalMiB: mib(total), speed: "0", label: "" });
  let last = 0;
  return {
    update(done, label = "") {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const speed = (done / 1048576 / Math.max(0.001, (now - t0) / 1000)).toFixed(0);
      bar.update(done, { doneMiB: mib(done), speed, label });
    },
    stop() {
      bar.stop();
    },
  };
}
