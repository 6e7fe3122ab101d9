import { z } from "zod";
import type { AnyOperation, ResponseSpec } from "./operation.js";
import { errorSchema } from "./schemas.js";

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
  tags: { name: string; description: string }[];
}

const TAGS = [
  { name: "evidence", description: "Deposit digests and files, look them up, verify them" },
  {
    name: "cases",
    description:
      "Mediation cases: agreements, invitations, party signatures, identity attestations, case packages",
  },
  { name: "log", description: "The public log: checkpoints, keys, entries and RFC 6962 proofs" },
  { name: "operations", description: "Health, metrics and this document" },
];

/** Express `:name` path segments become OpenAPI `{name}` templates. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/**
 * OpenAPI 3.1 (whose schemas are JSON Schema 2020-12) generated from the
 * operations' zod schemas, so the document cannot drift from what the
 * routes accept. Named schemas (zod `.meta({ id })`) become components.
 */
export function buildOpenApi(
  ops: readonly AnyOperation[],
  info: { version: string; origin: string },
): OpenApiDocument {
  const schemas: Record<string, Json> = {};
  const convert = (schema: z.ZodType, io: "input" | "output"): Json => {
    const js = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
    delete js.$schema;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    delete js.$defs;
    for (const [name, def] of Object.entries(defs)) schemas[name] = moveRefs(def) as Json;
    return moveRefs(js) as Json;
  };
  const errorRef = { $ref: "#/components/schemas/Error" };
  convert(z.object({ e: errorSchema }), "output");

  const paths: OpenApiDocument["paths"] = {};
  for (const op of ops) {
    const parameters = [...fields(op.params, "path", convert), ...fields(op.query, "query", convert)];
    const responses: Record<string, Json> = {};
    for (const [status, r] of Object.entries(op.responses)) responses[status] = response(r, convert);
    const errors: [number, string, boolean][] = [
      [400, "malformed input (see the error code)", parameters.length > 0 || op.body !== undefined],
      [401, "no valid bearer token", op.roles !== undefined],
      [403, "the token's role may not do this", op.roles !== undefined],
      [404, "no such thing", op.path.includes(":")],
      [413, "body or upload over the limit", op.body !== undefined],
      [415, "unsupported Content-Type", op.body !== undefined],
      [429, "rate limited; see Retry-After", op.roles === undefined && op.rateLimited !== false],
      [503, "overloaded or shutting down; see Retry-After", true],
    ];
    for (const [status, description] of [
      ...errors.filter(([, , applies]) => applies),
      ...Object.entries(op.errors ?? {}),
    ]) {
      responses[status] = { description, content: { "application/json": { schema: errorRef } } };
    }
    const roles = op.roles ? ["admin", ...op.roles.filter((r) => r !== "admin")] : undefined;
    const who = roles
      ? `Roles: ${roles.join(", ")}${op.invitations ? "; or the party's own invitation token (`Bearer inv_…`)" : ""}.`
      : "Public.";
    const operation: Json = {
      operationId: op.id,
      tags: [op.tag],
      summary: op.summary,
      description: [op.description, who].filter(Boolean).join("\n\n"),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: requestBody(op, convert) } : {}),
      responses,
      security: roles ? [{ bearerAuth: [] }, ...(op.invitations ? [{ invitationToken: [] }] : [])] : [],
      ...(roles ? { "x-roles": roles } : {}),
    };
    const path = openApiPath(op.path);
    paths[path] = { ...(paths[path] ?? {}), [op.method]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Notarium API",
      version: info.version,
      description:
        `Evidence notarization on an append-only RFC 6962 log (${info.origin}) with C2SP signed checkpoints. ` +
        'Errors are always {"error":{"code","message"}}; match on the code. Hashes are lowercase hex in JSON.',
    },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "ntr_… token from `notarium token create`",
        },
        invitationToken: {
          type: "http",
          scheme: "bearer",
          description: "inv_… token of a party's invitation link: one party of one case, expiring, revocable",
        },
      },
    },
    tags: TAGS,
  };
}

function fields(
  schema: z.ZodType | undefined,
  where: "path" | "query",
  convert: (s: z.ZodType, io: "input") => Json,
): Json[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: where,
    required: where === "path" || !field.safeParse(undefined).success,
    schema: convert(field, "input"),
  }));
}

function requestBody(op: AnyOperation, convert: (s: z.ZodType, io: "input") => Json): Json {
  if (op.file) {
    const content: Json = {};
    for (const type of op.file.types) content[type] = { schema: { type: "string", contentMediaType: type } };
    const file = {
      type: "string",
      contentMediaType: op.file.types[0],
      description: `at most ${op.file.maxBytes} bytes`,
    };
    content["multipart/form-data"] = {
      schema: { type: "object", properties: { file }, required: ["file"] },
    };
    return { required: true, content };
  }
  const content: Json = { "application/json": { schema: convert(op.body as z.ZodType, "input") } };
  if (op.upload) {
    const properties: Json = {
      file: {
        type: "string",
        contentMediaType: "application/octet-stream",
        description: "hashed while it streams in; never stored",
      },
    };
    for (const f of op.upload.fields) properties[f] = { type: "string" };
    content["multipart/form-data"] = { schema: { type: "object", properties, required: ["file"] } };
  }
  return { required: true, content };
}

function response(r: ResponseSpec, convert: (s: z.ZodType, io: "output") => Json): Json {
  if (r.json)
    return {
      description: r.description,
      content: { "application/json": { schema: convert(r.json, "output") } },
    };
  if (r.text) return { description: r.description, content: { [r.text]: { schema: { type: "string" } } } };
  if (r.binary)
    return {
      description: r.description,
      content: { [r.binary]: { schema: { type: "string", contentMediaType: r.binary } } },
    };
  return { description: r.description };
}

/** zod emits `#/$defs/X`; in OpenAPI shared schemas live under components. */
function moveRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(moveRefs);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        k === "$ref" && typeof x === "string"
          ? x.replace(/^#\/\$defs\//, "#/components/schemas/")
          : moveRefs(x),
      ]),
    );
  }
  return v;
}
