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
 * ranges (198.18.0.0/15, benchmarking, among them), IPv6 unique-local and
 * site-local, and IPv6 forms that embed an IPv4 address (IPv4-mapped
 * addresses are judged by the address they map; IPv4-compatible ::a.b.c.d
 * and NAT64 ones are refused). An IPv6 address must be global unicast
 * (2000::/3), less the ranges set aside within it.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const a = ipaddr.process(address);
  if (a.range() !== "unicast") return false;
  const within = (ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][]) =>
    ranges.some(
      ([net, bits]) => a.kind() === net.kind() && (a as ipaddr.IPv4).match(net as ipaddr.IPv4, bits),
    );
  return a.kind() === "ipv4" ? !within(IPV4_SET_ASIDE) : within(IPV6_GLOBAL) && !within(IPV6_SET_ASIDE);
}

const cidr = (c: string) => ipaddr.parseCIDR(c);
/** Unicast to ipaddr.js, yet not on the public internet. */
const IPV4_SET_ASIDE = ["198.18.0.0/15"].map(cidr);
const IPV6_GLOBAL = ["2000::/3"].map(cidr);
/** Within 2000::/3: benchmarking, ORCHID, documentation (RFC 9637). */
const IPV6_SET_ASIDE = ["2001:2::/48", "2001:10::/28", "2001:20::/28", "3fff::/20"].map(cidr);

/**
 * Why a webhook URL's host, when it is an address or a name for this host, can never
 * be delivered to by default; undefined for any other host (names are checked on
 * every delivery, against what they resolve to then).
 */
export function webhookHostProblem(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  const local = host === "localhost" || host.endsWith(".localhost");
  if (!local && !isIP(host)) return undefined;
  if (!local && isPublicAddress(host)) return undefined;
  return refusal(url.hostname, url.hostname).message;
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
