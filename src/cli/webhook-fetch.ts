import { type LookupAddress, type LookupOptions, lookup } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { FetchLike } from "../service/webhooks.js";

/**
 * An address a webhook may reach by default: a public unicast one. Refused are
 * this host (loopback, unspecified), private and carrier-grade NAT networks,
 * link-local (where cloud metadata services answer), multicast and reserved
 * ranges, IPv6 unique-local, and IPv6 forms that embed an IPv4 address
 * (IPv4-mapped addresses are judged by the address they map).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

export class WebhookAddressError extends Error {
  readonly code = "WEBHOOK_ADDRESS_REFUSED";
}

function refusal(host: string, address: string): WebhookAddressError {
  const via = host === address ? "" : ` (resolves to ${address})`;
  return new WebhookAddressError(
    `webhook host ${host}${via} is a private, loopback or reserved address; set NOTARIUM_WEBHOOK_ALLOW_PRIVATE=1 to allow it`,
  );
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * dns.lookup that refuses non-public answers. Used as the connection's own
 * lookup, the address checked is the address connected to: a name cannot
 * resolve to a public address for a check and to a private one for the
 * connection (DNS rebinding).
 */
function publicLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(refusal(hostname, bad.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
}

/** Webhooks through the global fetch, to any address (NOTARIUM_WEBHOOK_ALLOW_PRIVATE). Redirects are not followed. */
const anyAddressFetch: FetchLike = async (url, init) => {
  const r = await fetch(url, { ...init, redirect: "manual" });
  await r.body?.cancel();
  return { status: r.status };
};

/** Webhooks to public addresses only (the default). Redirects are not followed: a 3xx is a failed delivery. */
const publicOnlyFetch: FetchLike = (url, init) =>
  new Promise((resolve, reject) => {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
    // A literal address is connected to without a lookup: judge it here.
    if (isIP(host) && !isPublicAddress(host)) {
      reject(refusal(host, host));
      return;
    }
    const send = u.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      u,
      {
        method: init.method,
        headers: { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) },
        lookup: publicLookup,
        signal: init.signal,
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });

/** How the service delivers webhooks: to public addresses only, unless told to allow any. */
export function webhookFetch(o: { allowPrivate: boolean }): FetchLike {
  return o.allowPrivate ? anyAddressFetch : publicOnlyFetch;
}
