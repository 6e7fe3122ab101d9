import type { OpenApiDocument } from "./openapi.js";

type Json = Record<string, unknown>;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** `code` spans for backticks, paragraphs for blank lines; everything else escaped. */
const prose = (s: string) =>
  s
    .split(/\n\n+/)
    .map((p) => `<p>${escapeHtml(p).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("");

const pretty = (v: unknown) =>
  `<pre>${escapeHtml(JSON.stringify(v, null, 2)).replace(/&quot;#\/components\/schemas\/(\w+)&quot;/g, '&quot;<a href="#schema-$1">#/components/schemas/$1</a>&quot;')}</pre>`;

function typeOf(schema: Json | undefined): string {
  if (!schema) return "";
  const parts = [
    schema.type,
    schema.pattern ? `pattern ${schema.pattern}` : undefined,
    schema.description,
  ].filter(Boolean);
  return parts.map(String).join(" · ");
}

function operationHtml(path: string, method: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const responses = op.responses as Record<string, Json>;
  const id = String(op.operationId);
  return `<section id="${escapeHtml(id)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p><strong>${escapeHtml(String(op.summary))}</strong></p>
${prose(String(op.description ?? ""))}
${
  params.length
    ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${params
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${p.required ? "yes" : "no"}</td><td>${escapeHtml(typeOf(p.schema as Json))}</td></tr>`,
        )
        .join("")}</table>`
    : ""
}
${
  body
    ? `<h4>Request body</h4>${Object.entries(body)
        .map(([type, c]) => `<p><code>${escapeHtml(type)}</code></p>${pretty(c.schema)}`)
        .join("")}`
    : ""
}
<h4>Responses</h4><table><tr><th>status</th><th>meaning</th><th>body</th></tr>${Object.entries(responses)
    .map(([status, r]) => {
      const content = r.content as Record<string, Json> | undefined;
      const first = content ? Object.entries(content)[0] : undefined;
      const shown = first ? ((first[1].schema as Json).$ref ?? first[1].schema) : undefined;
      return `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(String(r.description))}</td><td>${first ? `<code>${escapeHtml(first[0])}</code> ${shown ? pretty(shown) : ""}` : ""}</td></tr>`;
    })
    .join("")}</table>
</section>`;
}

/** A plain, script-free reference page generated from the OpenAPI document (no CDN, works offline). */
export function renderApiDocsPage(doc: OpenApiDocument): string {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const toc = ops
    .map(
      ({ path, method, op }) =>
        `<li><a href="#${escapeHtml(String(op.operationId))}">${method.toUpperCase()} ${escapeHtml(path)}</a> — ${escapeHtml(String(op.summary))}</li>`,
    )
    .join("");
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, s]) =>
        `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${pretty(s)}</section>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.5rem;overflow:auto;max-height:24rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
section{border-top:1px solid #ccc;margin-top:1.5rem}.m{color:#fff;padding:0 .4rem;border-radius:3px}.get{background:#2a7}.post{background:#27c}.put{background:#c72}.delete{background:#c33}
</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
${prose(doc.info.description)}
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).
Authenticated routes take <code>Authorization: Bearer ntr_…</code>.</p>
<h2>Operations</h2><ul>${toc}</ul>
${ops.map(({ path, method, op }) => operationHtml(path, method, op)).join("\n")}
<h2>Schemas</h2>${schemas}
</body></html>
`;
}
