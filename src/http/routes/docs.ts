import { renderApiDocsPage } from "../api-docs-page.js";
import type { AppDeps } from "../deps.js";
import { buildOpenApi } from "../openapi.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { sendJson } from "../send-json.js";

/** The OpenAPI document and its reference page, built once from the same operations that serve requests. */
export function docsOperations(deps: AppDeps, api: readonly AnyOperation[]): AnyOperation[] {
  const docs: AnyOperation[] = [
    defineOperation({
      id: "getOpenApi",
      method: "get",
      path: "/api/v1/openapi.json",
      tag: "operations",
      summary: "This API as an OpenAPI 3.1 document",
      responses: { 200: { description: "OpenAPI 3.1 JSON" } },
      handle({ res }) {
        sendJson(res, document);
      },
    }),
    defineOperation({
      id: "getApiDocs",
      method: "get",
      path: "/api/docs",
      tag: "operations",
      summary: "Readable API reference (HTML)",
      responses: { 200: { description: "HTML page", text: "text/html; charset=utf-8" } },
      handle({ res }) {
        res.type("text/html; charset=utf-8").send(page);
      },
    }),
  ];
  const document = buildOpenApi([...api, ...docs], { version: "1.0.0", origin: deps.ledger.key.origin });
  const page = renderApiDocsPage(document);
  return docs;
}
