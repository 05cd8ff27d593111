import dns, { type LookupAddress } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

// Where a webhook may be sent. An admin chooses the URL, and the request leaves from inside the
// product's own network, so an address there (loopback, private, link-local with the cloud
// metadata service, CGNAT, ...) would let a subscription reach services no partner should
// (server-side request forgery). Only what ipaddr.js classifies as global unicast is let through,
// IPv4-mapped IPv6 judged as the IPv4 address it carries. The check runs on every address a name
// resolves to, at subscription create and again on the address each attempt connects to
// (guardedLookup), so a name that changes its answer after the create check gains nothing.
//
// WEBHOOK_ALLOWED_HOSTS names the internal receivers a deployment does want, comma-separated:
// host names (`erp.internal`, `erp.internal:8443`: that name is trusted whatever it resolves
// to), IP addresses (`10.1.2.3`, `127.0.0.1:3000`, `[fd00::5]:443`) and CIDR ranges
// (`10.20.0.0/16`, any port).

export const ALLOWED_HOSTS_ENV = 'WEBHOOK_ALLOWED_HOSTS';

/** A connection the policy refused; its message is what the attempt log shows. */
export class WebhookTargetRefused extends Error {
  readonly code = 'ERR_WEBHOOK_TARGET_REFUSED';

  constructor(refusal: string) {
    super(`${refusal}; refused`);
    this.name = 'WebhookTargetRefused';
  }
}

const REFUSED_RANGES: Record<string, string> = {
  loopback: 'is in the loopback range',
  private: 'is in a private range',
  uniqueLocal: 'is in a private range (unique local fc00::/7)',
  linkLocal: 'is in the link-local range (where cloud metadata services answer)',
  carrierGradeNat: 'is in the carrier-grade NAT range 100.64.0.0/10',
  unspecified: 'is in the unspecified range',
  multicast: 'is in a multicast range',
  broadcast: 'is the broadcast address',
};

// ipaddr.js files the deprecated IPv4-compatible form (::a.b.c.d) under unicast; it names an IPv4
// host as surely as the mapped form does.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

type Address = ipaddr.IPv4 | ipaddr.IPv6;

interface NameEntry {
  kind: 'name';
  name: string;
  port: number | null;
}

interface RangeEntry {
  kind: 'range';
  range: [Address, number];
  port: number | null;
}

export interface AllowList {
  /** The entries as configured, for messages. */
  readonly source: string;
  readonly entries: readonly (NameEntry | RangeEntry)[];
}

const HOST_NAME =
  /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

function normalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function portOf(text: string, entry: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${ALLOWED_HOSTS_ENV}: "${entry}" has no valid port`);
  }

  return port;
}

function single(address: string): [Address, number] {
  const ip = ipaddr.process(address);

  return [ip, ip.kind() === 'ipv4' ? 32 : 128];
}

function parseEntry(entry: string): NameEntry | RangeEntry {
  const text = entry.toLowerCase();
  if (text.includes('/')) {
    if (!ipaddr.isValidCIDR(text)) throw new Error(`${ALLOWED_HOSTS_ENV}: "${entry}" is no CIDR`);

    return { kind: 'range', range: ipaddr.parseCIDR(text), port: null };
  }
  if (net.isIP(text)) return { kind: 'range', range: single(text), port: null };
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(text);
  if (bracketed && net.isIPv6(bracketed[1]!)) {
    const port = bracketed[2] ? portOf(bracketed[2], entry) : null;

    return { kind: 'range', range: single(bracketed[1]!), port };
  }
  const [, host = text, portText] = /^(.*?)(?::(\d+))?$/.exec(text) ?? [];
  const port = portText ? portOf(portText, entry) : null;
  if (net.isIPv4(host)) return { kind: 'range', range: single(host), port };
  if (HOST_NAME.test(host)) return { kind: 'name', name: normalName(host), port };
  throw new Error(`${ALLOWED_HOSTS_ENV}: "${entry}" is not a host name, an IP address or a CIDR`);
}

/** Throws on an entry it cannot read: a typo must not silently refuse or allow a receiver. */
export function parseAllowList(source: string | undefined): AllowList {
  const entries = (source ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0)
    .map(parseEntry);

  return { source: source ?? '', entries };
}

let cached: AllowList | null = null;

/** Read at every check (cached by its text), so a process sees the setting it runs with. */
export function allowListFromEnv(env: NodeJS.ProcessEnv = process.env): AllowList {
  const source = env[ALLOWED_HOSTS_ENV] ?? '';
  if (cached?.source !== source) cached = parseAllowList(source);

  return cached;
}

const portMatches = (entry: { port: number | null }, port: number) =>
  entry.port === null || entry.port === port;

function allowsName(allow: AllowList, hostname: string, port: number): boolean {
  const name = normalName(hostname);

  return allow.entries.some((e) => e.kind === 'name' && e.name === name && portMatches(e, port));
}

function allowsAddress(allow: AllowList, ip: Address, port: number): boolean {
  return allow.entries.some(
    (e) =>
      e.kind === 'range' &&
      e.range[0].kind() === ip.kind() &&
      ip.match(e.range) &&
      portMatches(e, port),
  );
}

/** Why an address is refused ("is in a private range"), or null for global unicast. */
export function refusedRange(address: Address): string | null {
  const range = address.range();
  if (range === 'unicast') {
    const compatible = address.kind() === 'ipv6' && address.match(IPV4_COMPATIBLE);

    return compatible ? 'is an IPv4-compatible IPv6 address' : null;
  }

  return REFUSED_RANGES[range] ?? `is in the special-purpose range "${range}"`;
}

/**
 * The refusal of one address a connection would go to ("address 10.0.0.5 is in a private
 * range"), or null when it may. `hostname` is the
 * URL's host: a name the allow-list trusts is let through whatever it resolved to.
 */
export function addressRefusal(
  address: string,
  port: number,
  hostname = address,
  allow: AllowList = allowListFromEnv(),
): string | null {
  if (allowsName(allow, hostname, port)) return null;
  const parsed = ipaddr.parse(address);
  const ip = ipaddr.process(address);
  if (allowsAddress(allow, ip, port)) return null;
  const reason = refusedRange(ip);
  if (!reason) return null;
  const mapped = parsed.kind() !== ip.kind() ? ` (IPv4-mapped ${ip.toString()})` : '';
  const of = net.isIP(bareHost(hostname)) ? '' : ` of ${hostname}`;

  return `address ${address}${mapped}${of} ${reason}`;
}

function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

export function targetPort(url: URL): number {
  if (url.port) return Number(url.port);

  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * For a URL whose host is an IP literal, its refusal (the connection makes no lookup for it, so
 * this is where it is checked); null for a host name or an allowed address.
 */
export function literalRefusal(url: URL, allow: AllowList = allowListFromEnv()): string | null {
  const host = bareHost(url.hostname);
  if (!net.isIP(host)) return null;

  return addressRefusal(host, targetPort(url), host, allow);
}

export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const RESOLVE_TIMEOUT_MS = 5_000;

const resolveWithDns: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true });

/**
 * The refusal of a subscription's URL at create: its literal address, or the first refused
 * address its name resolves to now. A name that does not resolve (yet) is not refused here:
 * every attempt resolves and checks again before it connects.
 */
export async function targetRefusal(
  target: string,
  options: { allow?: AllowList; resolve?: ResolveHost } = {},
): Promise<string | null> {
  const allow = options.allow ?? allowListFromEnv();
  const url = new URL(target);
  const port = targetPort(url);
  if (net.isIP(bareHost(url.hostname))) return literalRefusal(url, allow);
  if (allowsName(allow, url.hostname, port)) return null;
  const resolve = options.resolve ?? resolveWithDns;
  const addresses = await Promise.race([
    resolve(url.hostname).catch(() => [] as LookupAddress[]),
    new Promise<LookupAddress[]>((done) => setTimeout(() => done([]), RESOLVE_TIMEOUT_MS).unref()),
  ]);
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, port, url.hostname, allow);
    if (refusal) return refusal;
  }

  return null;
}

type LookupCallback = Parameters<LookupFunction>[2];
type DnsLookup = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * The lookup of every connection to `port`: the name is resolved once, every address it
 * resolved to is checked, and the connection is handed only those checked addresses, so there
 * is no second resolution for a rebinding name to answer differently. One refused address
 * refuses the whole name (a mixed answer is how rebinding is attempted).
 */
export function guardedLookup(
  port: number,
  lookup: DnsLookup = dns.lookup,
  allowList: () => AllowList = () => allowListFromEnv(),
): LookupFunction {
  return (hostname, options, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      let refusal: string | null = null;
      try {
        const allow = allowList();
        for (const { address } of addresses) {
          refusal ??= addressRefusal(address, port, hostname, allow);
        }
      } catch (problem) {
        return callback(problem as Error, '', 0);
      }
      if (refusal) return callback(new WebhookTargetRefused(refusal), '', 0);
      if (addresses.length === 0) {
        return callback(
          Object.assign(new Error(`${hostname} resolved to nothing`), { code: 'ENOTFOUND' }),
          '',
          0,
        );
      }
      if (options.all) return callback(null, addresses);

      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * `list` (a WEBHOOK_ALLOWED_HOSTS value) with the exact host:port of `url` added: how a receiver
 * of the product's own (the demo ERP) or a test's receiver is let through, and nothing beside it.
 */
export function allowListWith(list: string | undefined, url: string): string {
  const target = new URL(url);
  const entry = `${target.hostname}:${targetPort(target)}`;
  const entries = (list ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);

  return entries.includes(entry) ? entries.join(',') : [...entries, entry].join(',');
}
