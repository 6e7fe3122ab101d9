// `npm run bench`: runs every bench/*.bench.mjs and prints each figure beside its native baseline.
//   node bench/run.mjs [--quick] [--only NAME[,NAME]] [--write]
// --write replaces the results block in docs/benchmarks.md with this run's table.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const write = args.includes("--write");
const onlyArg = args.indexOf("--only");
const only = onlyArg >= 0 ? (args[onlyArg + 1] ?? "").split(",") : undefined;
const here = fileURLToPath(new URL(".", import.meta.url));
const log = (s) => process.stderr.write(`${s}\n`);

const fmt = (v) =>
  v === undefined || Number.isNaN(v)
    ? ""
    : Math.abs(v) >= 100
      ? Math.round(v).toLocaleString("en-US")
      : v.toFixed(v < 1 ? 3 : 2);

const suites = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .sort()
  .filter((f) => !only || only.includes(f.replace(".bench.mjs", "")));

const rows = [];
for (const file of suites) {
  log(`== ${file}`);
  const mod = await import(new URL(file, import.meta.url).href);
  for (const r of await mod.run({ log, quick })) rows.push({ suite: file.replace(".bench.mjs", ""), ...r });
}

const header =
  "| suite | figure | value | baseline (same run) | ratio | target | met |\n|---|---|---|---|---|---|---|";
const lines = rows.map(
  (r) =>
    `| ${r.suite} | ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.baselineName ? `${r.baselineName}: ${fmt(r.baselineValue)} ${r.unit}` : ""} | ${r.ratio === undefined ? "" : `${(r.ratio * 100).toFixed(0)}%`} | ${r.target} | ${r.pass ? "yes" : "**no**"} |`,
);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
const table = `Run ${new Date().toISOString()} on ${machine}${quick ? " (--quick)" : ""}; values are medians of repeated runs.\n\n${header}\n${lines.join("\n")}\n`;
process.stdout.write(`\n${table}`);

if (write) {
  const path = new URL("../docs/benchmarks.md", import.meta.url);
  const doc = readFileSync(path, "utf8");
  const start = "<!-- results:start -->";
  const end = "<!-- results:end -->";
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < 0) throw new Error("docs/benchmarks.md lacks the results markers");
  // With --only, the other suites' rows (and the line saying when they ran) are kept.
  const ran = new Set(rows.map((r) => r.suite));
  const previous = doc.slice(i + start.length, j).split("\n");
  const kept = only
    ? previous.filter((l) => {
        const suite = /^\| (\w+) \|/.exec(l)?.[1];
        return suite !== undefined && suite !== "suite" && !ran.has(suite);
      })
    : [];
  // An earlier run's line stays, naming only its suites that were not run again.
  const keptRuns = only
    ? previous.flatMap((l) => {
        const m = /^(Run .* on .*) \(([\w, ]+)\); (values .*)$/.exec(l);
        const left = m?.[2]?.split(", ").filter((suite) => !ran.has(suite)) ?? [];
        return m && left.length ? [`${m[1]} (${left.join(", ")}); ${m[3]}`] : [];
      })
    : [];
  const runLine = `Run ${new Date().toISOString()} on ${machine}${quick ? " (--quick)" : ""} (${[...ran].join(", ")}); values are medians of repeated runs.`;
  const bySuite = (l) => /^\| (\w+) \|/.exec(l)?.[1] ?? "";
  const all = [...kept, ...lines].sort((a, b) => bySuite(a).localeCompare(bySuite(b)));
  const merged = `${[...keptRuns, runLine].join("\n\n")}\n\n${header}\n${all.join("\n")}\n`;
  writeFileSync(path, `${doc.slice(0, i + start.length)}\n${merged}\n${doc.slice(j)}`);
  log("wrote docs/benchmarks.md");
}
if (rows.some((r) => !r.pass)) process.exitCode = 1;
