import { describe, expect, it } from "vitest";
import { DEFAULT_HTTP_OPTIONS, parseHttpOptions } from "../../src/http/options.js";

describe("parseHttpOptions", () => {
  it("gives the defaults for an empty environment, and ignores empty values", () => {
    expect(parseHttpOptions({})).toEqual(DEFAULT_HTTP_OPTIONS);
    expect(parseHttpOptions({ NOTARIUM_RATE_LIMIT: "", NOTARIUM_VERDICT_MAX_AGE_MS: "" })).toEqual(
      DEFAULT_HTTP_OPTIONS,
    );
    expect(DEFAULT_HTTP_OPTIONS.verdictMaxAgeMs).toBe(10_000);
  });

  it("reads each variable", () => {
    const o = parseHttpOptions({
      NOTARIUM_RATE_LIMIT: "60",
      NOTARIUM_MAX_DOCUMENT_BYTES: "1048576",
      NOTARIUM_CORS_ORIGINS: "https://court.example, http://localhost:3000",
      NOTARIUM_TRUST_PROXY: "2",
      NOTARIUM_VERDICT_MAX_AGE_MS: "0",
    });
    expect(o).toMatchObject({
      rateLimit: { windowMs: 60_000, limit: 60 },
      maxDocumentBytes: 1_048_576,
      corsOrigins: ["https://court.example", "http://localhost:3000"],
      trustProxy: 2,
      verdictMaxAgeMs: 0,
    });
    expect(parseHttpOptions({ NOTARIUM_RATE_LIMIT: "0" }).rateLimit).toBe(false);
    expect(parseHttpOptions({ NOTARIUM_TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(parseHttpOptions({ NOTARIUM_TRUST_PROXY: "loopback" }).trustProxy).toBe("loopback");
    expect(Object.isFrozen(o)).toBe(true);
  });

  it("refuses malformed values with CONFIG_INVALID, naming the variable", () => {
    for (const [name, value] of [
      ["NOTARIUM_VERDICT_MAX_AGE_MS", "-1"],
      ["NOTARIUM_VERDICT_MAX_AGE_MS", "soon"],
      ["NOTARIUM_RATE_LIMIT", "1.5"],
      ["NOTARIUM_CORS_ORIGINS", "court.example"],
    ] as const) {
      expect(() => parseHttpOptions({ [name]: value }), `${name}=${value}`).toThrow(
        expect.objectContaining({ code: "CONFIG_INVALID", message: expect.stringContaining(name) }),
      );
    }
  });
});
