import { z } from "zod";
import { toBase64 } from "../core/bytes.js";
import type { Clock, RandomBytes } from "../core/clock.js";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../core/errors.js";
import { sha256HexOfText } from "../crypto/sha256.js";

/**
 * API tokens (DESIGN §5): bearer secrets with a role. Only their SHA-256 is
 * stored, so a copy of the token file grants nothing. Lookups go by that
 * hash, so comparing never touches the secret itself.
 */
export const ROLES = ["admin", "mediator", "court"] as const;
export type Role = (typeof ROLES)[number];

/** `ntr_` + base64url of 32 random bytes (256 bits, RFC 4648 §5, no padding). */
const TOKEN_FORMAT = /^ntr_[A-Za-z0-9_-]{43}$/;
const TOKEN_BYTES = 32;
/** A printable label without whitespace, so `token revoke NAME` is unambiguous on a command line. */
const NAME_FORMAT = /^[^\s\p{C}]{1,64}$/u;

export const tokenRecordSchema = z
  .object({
    /** Public handle: the first 12 hex characters of the token's SHA-256. */
    id: z.string().regex(/^[0-9a-f]{12}$/),
    name: z.string().regex(NAME_FORMAT),
    role: z.enum(ROLES),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    revoked: z.boolean(),
    revokedAt: z.string().optional(),
  })
  .strict();

export type TokenRecord = z.infer<typeof tokenRecordSchema>;

/** Who made a request: never the token itself. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

/** Persistence port for token records (storage/token-file.ts). */
export interface TokenStore {
  /** A stamp that changes whenever the stored set changes; undefined when nothing is stored yet. */
  version(): Promise<string | undefined>;
  /** Every record, with the version of exactly what was read. */
  read(): Promise<{ records: TokenRecord[]; version: string | undefined }>;
  /** Read-modify-write, serialised against other writers and replaced atomically. */
  update(change: (records: TokenRecord[]) => TokenRecord[]): Promise<void>;
}

export function isRole(x: unknown): x is Role {
  return typeof x === "string" && (ROLES as readonly string[]).includes(x);
}

export function hashToken(token: string): string {
  return sha256HexOfText(token);
}

function base64url(b: Uint8Array): string {
  return toBase64(b).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Makes a token and records its hash; the token is returned once and never stored. */
export async function createToken(
  store: TokenStore,
  input: { name: string; role: string },
  deps: { clock: Clock; randomBytes: RandomBytes },
): Promise<{ token: string; record: TokenRecord }> {
  if (!isRole(input.role))
    throw new ValidationError("INVALID_ARGUMENT", `role must be one of ${ROLES.join(", ")}`);
  if (!NAME_FORMAT.test(input.name)) {
    throw new ValidationError("INVALID_ARGUMENT", "name must be 1 to 64 printable characters without spaces");
  }
  const token = `ntr_${base64url(deps.randomBytes(TOKEN_BYTES))}`;
  const hash = hashToken(token);
  const record: TokenRecord = {
    id: hash.slice(0, 12),
    name: input.name,
    role: input.role,
    sha256: hash,
    createdAt: deps.clock.now().toISOString(),
    revoked: false,
  };
  await store.update((records) => {
    if (records.some((r) => !r.revoked && r.name === input.name)) {
      throw new ConflictError(
        "CONFLICT",
        `an active token named "${input.name}" exists; revoke it or pick another name`,
      );
    }
    return [...records, record];
  });
  return { token, record };
}

export async function listTokens(store: TokenStore): Promise<TokenRecord[]> {
  return (await store.read()).records;
}

/** Revokes by ID, or by the name of an active token. Revoked records stay, as an audit trail. */
export async function revokeToken(store: TokenStore, nameOrId: string, clock: Clock): Promise<TokenRecord> {
  let revoked: TokenRecord | undefined;
  await store.update((records) => {
    const target =
      records.find((r) => r.id === nameOrId) ??
      records.find((r) => !r.revoked && r.name === nameOrId) ??
      records.find((r) => r.name === nameOrId);
    if (!target)
      throw new NotFoundError(
        "TOKEN_NOT_FOUND",
        `no token with ID or name "${nameOrId}"; see \`notarium token list\``,
      );
    if (target.revoked) {
      revoked = target;
      return records;
    }
    revoked = { ...target, revoked: true, revokedAt: clock.now().toISOString() };
    return records.map((r) => (r === target ? (revoked as TokenRecord) : r));
  });
  return revoked as TokenRecord;
}

const unauthenticated = () =>
  new AppError("UNAUTHENTICATED", "a valid API token is required: send Authorization: Bearer <token>");

/**
 * Checks bearer tokens against the store. Tokens are created and revoked by
 * the CLI while the service runs, so the in-memory copy is refreshed when the
 * store's version changes: checked at most every `recheckMs`, and at once on
 * an unknown token (so a new token works immediately). A revocation therefore
 * takes effect within `recheckMs`. Concurrent refreshes share one read.
 */
export class TokenAuthenticator {
  /** Active and revoked records by hash, each with the principal it stands for (one object, reused). */
  private byHash = new Map<string, { record: TokenRecord; principal: Principal }>();
  private loaded = false;
  private loadedVersion: string | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: TokenStore,
    private readonly options: { clock: Clock; recheckMs?: number },
  ) {}

  async authenticate(token: string | undefined): Promise<Principal> {
    if (token === undefined || !TOKEN_FORMAT.test(token)) throw unauthenticated();
    const hash = hashToken(token);
    if (this.stale()) await this.refresh();
    let known = this.byHash.get(hash);
    if (known === undefined) {
      await this.refresh();
      known = this.byHash.get(hash);
    }
    if (known === undefined || known.record.revoked) throw unauthenticated();
    return known.principal;
  }

  /**
   * The principal of an active token, answered at once when the store was
   * checked within `recheckMs`; undefined when authenticate() must decide
   * (unknown, revoked or malformed token, or time to re-check the store).
   * Saves the request path a promise: every deposit comes with a token.
   */
  known(token: string): Principal | undefined {
    if (this.stale()) return undefined;
    if (!TOKEN_FORMAT.test(token)) return undefined;
    const known = this.byHash.get(hashToken(token));
    return known === undefined || known.record.revoked ? undefined : known.principal;
  }

  /** Time to look at the store again (it was last checked `recheckMs` ago or more). */
  private stale(): boolean {
    return this.options.clock.now().getTime() - this.checkedAt >= (this.options.recheckMs ?? 1000);
  }

  /** Re-reads the store if it changed since the last read. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        this.checkedAt = this.options.clock.now().getTime();
        const version = await this.store.version();
        if (this.loaded && version === this.loadedVersion) return;
        const { records, version: read } = await this.store.read();
        this.byHash = new Map(
          records.map((r) => [
            r.sha256,
            { record: r, principal: Object.freeze({ id: r.id, name: r.name, role: r.role }) },
          ]),
        );
        this.loadedVersion = read;
        this.loaded = true;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}

/** Admin may do everything (DESIGN §5); others only what the route lists. */
export function authorize(principal: Principal, allowed: readonly Role[]): void {
  if (principal.role === "admin" || allowed.includes(principal.role)) return;
  throw new AppError(
    "FORBIDDEN",
    `this needs a ${allowed.join(" or ")} token; yours is a ${principal.role} token`,
  );
}
