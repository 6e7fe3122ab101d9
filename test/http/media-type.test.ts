import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { mediaTypeOf } from "../../src/http/media-type.js";

const req = (type?: string) =>
  ({ headers: type === undefined ? {} : { "content-type": type } }) as IncomingMessage;

describe("mediaTypeOf", () => {
  it("gives the type without parameters, lowercased, or nothing", () => {
    expect(mediaTypeOf(req("application/json"))).toBe("application/json");
    expect(mediaTypeOf(req("Application/JSON ; charset=utf-8"))).toBe("application/json");
    expect(mediaTypeOf(req("multipart/form-data; boundary=x"))).toBe("multipart/form-data");
    expect(mediaTypeOf(req())).toBe("");
    expect(mediaTypeOf(req("application/json-seq"))).not.toBe("application/json");
  });
});
