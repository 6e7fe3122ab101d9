import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/cli/config.js";
import { openSealing } from "../../src/cli/open-extras.js";
import { secureRandomBytes, systemClock } from "../../src/core/clock.js";
import { AppError } from "../../src/core/errors.js";

const deps = { clock: systemClock, randomBytes: secureRandomBytes };
const config = (centreName?: string) => {
  const dir = mkdtempSync(join(tmpdir(), "notarium-sealing-"));
  return parseConfig({
    NOTARIUM_DATA_DIR: join(dir, "data"),
    NOTARIUM_KEYS_DIR: join(dir, "keys"),
    ...(centreName ? { NOTARIUM_CENTRE_NAME: centreName } : {}),
  });
};

describe("openSealing", () => {
  it("refuses at start-up a centre name the seal could not show, naming the characters", async () => {
    const e = await openSealing(config("𠮷祥调解中心"), deps).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("CONFIG_INVALID");
    expect((e as AppError).message).toContain("NOTARIUM_CENTRE_NAME");
    expect((e as AppError).message).toContain("𠮷 (U+20BB7)");
  });

  it("opens with the default centre name and with one beyond GB 2312", async () => {
    expect((await openSealing(config(), deps)).centreName).toBe("示例人民调解委员会");
    const s = await openSealing(config("喆堃调解中心"), deps);
    expect(s.centreName).toBe("喆堃调解中心");
    expect(s.pdf.sealPartiesProblem([{ name: "喆堃𠮷", role: "applicant" }])).toMatchObject({
      code: "FONT_MISSING_GLYPH",
      index: 0,
      field: "name",
    });
  });
});
