import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DAMAGE_MARK, droppedInRecovery } from "../../src/storage/level-open.js";
import { runCli } from "../helpers/run-cli.js";

describe("a LevelDB that dropped records while opening", () => {
  it("is refused, now and at every later open, instead of signing new entries over the gap", () => {
    const dir = mkdtempSync(join(tmpdir(), "notarium-damaged-"));
    writeFileSync(join(dir, "a.txt"), "acknowledged evidence\n");
    const deposited = runCli(["deposit", "a.txt"], { cwd: dir });
    expect(deposited.status, deposited.stderr).toBe(0);
    // A bit flips on disk inside the deposit's record of the write-ahead log.
    const ledgerDir = join(dir, "data/ledger");
    const wal = readdirSync(ledgerDir).find((f) => f.endsWith(".log")) as string;
    const bytes = readFileSync(join(ledgerDir, wal));
    expect(bytes.length).toBeGreaterThan(100);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 0xff;
    writeFileSync(join(ledgerDir, wal), bytes);

    const first = runCli(["verify", "a.txt"], { cwd: dir });
    expect([first.status, first.stdout]).toEqual([2, ""]);
    expect(first.stderr).toContain(
      "the ledger database at data/ledger is damaged: LevelDB dropped or could not read records",
    );
    expect(first.stderr).toContain("[DATABASE_DAMAGED]");
    // LevelDB deleted the damaged log while recovering: only the mark still knows.
    expect(readFileSync(join(ledgerDir, DAMAGE_MARK), "utf8")).toMatch(/checksum mismatch/);
    const [again, deposit] = [runCli(["audit"], { cwd: dir }), runCli(["deposit", "a.txt"], { cwd: dir })];
    for (const r of [again, deposit]) {
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("[DATABASE_DAMAGED]");
    }
    // Once the operator removes the mark, the log opens as it is: without the lost deposit.
    rmSync(join(ledgerDir, DAMAGE_MARK));
    const after = runCli(["verify", "a.txt"], { cwd: dir });
    expect(after.status).toBe(1);
  });

  it("reads LevelDB's recovery lines, and only those (and with a start time, only from then on)", () => {
    const log = [
      "2026/11/28-01:28:23.124692 7f153d3f66c0 Recovering log #3",
      "2026/11/28-01:28:23.124871 7f153d3f66c0 (ignoring error) data/ledger/000003.log: dropping 966 bytes; Corruption: checksum mismatch",
      "2026/11/28-01:28:23.124885 7f153d3f66c0 Level-0 table #5: started",
      "2026/11/28-01:28:23.126551 7f153d3f66c0 Level-0 table #5: 204 bytes OK",
      "2026/11/28-01:28:23.127848 7f153d3f66c0 Delete type=3 #2",
      "2026/11/28-01:28:23.127868 7f153d3f66c0 Delete type=0 #3",
    ].join("\n");
    expect(droppedInRecovery(log)).toEqual([expect.stringContaining("dropping 966 bytes")]);
    // A clean restart's LOG, as LevelDB wrote it in this test's first case before the damage.
    expect(
      droppedInRecovery(
        log
          .split("\n")
          .filter((l) => !l.includes("ignoring"))
          .join("\n"),
      ),
    ).toEqual([]);
    // An unreadable log file (wrong owner after a restore) is dropped too.
    const unreadable =
      "2026/11/28-01:30:00.000001 7f1 Ignoring error IO error: data/ledger/000003.log: Permission denied";
    expect(droppedInRecovery(unreadable)).toEqual([unreadable]);
    // LOG.old is read from the open's start: older lines are another open's.
    const since = new Date(2026, 10, 28, 1, 29, 0).getTime();
    expect(droppedInRecovery(`${log}\n${unreadable}`, since)).toEqual([unreadable]);
  });
});
