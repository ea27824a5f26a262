import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { HarvestFetchError } from './errors.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (node:dns lookup, i.e. what the OS would connect to). */
export type ResolveAll = (hostname: string) => Promise<ResolvedAddress[]>;

export interface UrlPolicy {
  /** Allow loopback, private, link-local and other non-public targets. */
  allowPrivateNetworks: boolean;
  /** Resolver; node:dns lookup by default. */
  resolve?: ResolveAll;
  /** host[:port] pairs allowed even when private (one on-premise source without opening all private networks). */
  allowedHosts?: readonly string[];
}

/** A URL that passed the policy, with the addresses it was checked against: connect only to those. */
export interface CheckedUrl {
  url: URL;
  addresses: ResolvedAddress[];
}

const defaultResolve: ResolveAll = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

type Range4 = [base: number, bits: number, label: string];

const ip4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

// Everything that is not a globally routed unicast address.
const BLOCKED_V4: Range4[] = [
  [ip4(0, 0, 0, 0), 8, 'unspecified ("this network")'],
  [ip4(10, 0, 0, 0), 8, 'private'],
  [ip4(100, 64, 0, 0), 10, 'carrier-grade NAT'],
  [ip4(127, 0, 0, 0), 8, 'loopback'],
  [ip4(169, 254, 0, 0), 16, 'link-local'],
  [ip4(172, 16, 0, 0), 12, 'private'],
  [ip4(192, 0, 0, 0), 24, 'IETF protocol assignment'],
  [ip4(192, 0, 2, 0), 24, 'documentation'],
  [ip4(192, 168, 0, 0), 16, 'private'],
  [ip4(198, 18, 0, 0), 15, 'benchmarking'],
  [ip4(198, 51, 100, 0), 24, 'documentation'],
  [ip4(203, 0, 113, 0), 24, 'documentation'],
  [ip4(224, 0, 0, 0), 4, 'multicast'],
  [ip4(240, 0, 0, 0), 4, 'reserved/broadcast'],
];

function parseV4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ip4(parts[0], parts[1], parts[2], parts[3]);
}

function classifyV4(n: number): string | undefined {
  for (const [base, bits, label] of BLOCKED_V4) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === base) return label;
  }
  return undefined;
}

/** 16 bytes of an IPv6 address (zone id dropped), or undefined. */
function parseV6(s: string): number[] | undefined {
  let text = s.replace(/%.*$/, '');
  let tail: number[] = [];
  const v4 = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (v4) {
    const n = parseV4(v4[1]);
    if (n === undefined) return undefined;
    tail = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    text = text.slice(0, -v4[1].length) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 255);
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function classifyV6(b: number[]): string | undefined {
  const zeroUpTo = (n: number) => b.slice(0, n).every((x) => x === 0);
  const embeddedV4 = (at: number) => ip4(b[at], b[at + 1], b[at + 2], b[at + 3]);
  const inner = (at: number, how: string) => {
    const label = classifyV4(embeddedV4(at));
    return label && `${how} ${label}`;
  };
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && b[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated) reach the IPv4 address itself.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return inner(12, 'IPv4-mapped');
  if (zeroUpTo(8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return inner(12, 'IPv4-translated');
  // Deprecated IPv4-compatible ::a.b.c.d; some stacks still route it to IPv4.
  if (zeroUpTo(12)) return inner(12, 'IPv4-compatible') ?? 'IPv4-compatible';
  // NAT64 well-known prefix 64:ff9b::/96 and 6to4 2002::/16 carry an IPv4 target.
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return inner(12, 'NAT64');
  if (b[0] === 0x20 && b[1] === 0x02) return inner(2, '6to4');
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'site-local';
  if ((b[0] & 0xfe) === 0xfc) return 'unique-local';
  if (b[0] === 0xff) return 'multicast';
  if (b[0] === 0x01 && b[1] === 0 && b.slice(2, 8).every((x) => x === 0)) return 'discard-only';
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'documentation';
  return undefined;
}

/**
 * Why an IP address is not a public unicast address ("loopback", "private", "IPv4-mapped
 * link-local", …), or undefined when it is public. Anything unparseable counts as blocked.
 */
export function nonPublicReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return classifyV4(parseV4(address)!);
  if (family === 6) {
    const bytes = parseV6(address);
    return bytes ? classifyV6(bytes) : 'unparseable IPv6';
  }
  return 'not an IP address';
}

/** The URL for messages and logs: never with a password in it. */
export function withoutCredentials(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function blocked(url: string, message: string): HarvestFetchError {
  return new HarvestFetchError('blocked_url', message, url);
}

/**
 * Checks a harvest URL before any request: http(s) only, no credentials, and (unless the
 * policy allows private networks) every address the host resolves to must be public.
 * Throws HarvestFetchError("blocked_url"). The returned addresses are the only ones a
 * connection may use (see pinnedLookup), so a second DNS answer cannot swap them.
 */
export async function checkUrl(input: string | URL, policy: UrlPolicy): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw blocked(String(input), `"${String(input)}" is not a valid absolute URL.`);
  }
  const shown = withoutCredentials(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw blocked(shown, `Only http and https URLs can be harvested, not "${url.protocol.replace(/:$/, '')}" (${shown}).`);
  }
  if (url.username !== '' || url.password !== '') {
    throw blocked(shown, `URLs with credentials are refused; configure authentication separately (${url.host}).`);
  }
  // WHATWG URL has already normalised odd IPv4 spellings (0x7f.1, 2130706433) to dotted quads.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') throw blocked(shown, `The URL ${shown} has no host.`);
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.resolve ?? defaultResolve)(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new HarvestFetchError('network', `The host ${host} could not be resolved${code ? ` (${code})` : ''}.`, shown, undefined, { cause: error });
    }
    if (addresses.length === 0) throw new HarvestFetchError('network', `The host ${host} has no addresses.`, shown);
  }
  const exempt = policy.allowedHosts?.includes(url.host) ?? false;
  if (!policy.allowPrivateNetworks && !exempt) {
    for (const { address } of addresses) {
      const reason = nonPublicReason(address);
      if (reason) {
        throw blocked(
          shown,
          `${host === address ? `The address ${address}` : `The host ${host} resolves to ${address}, which`} is ${reason} and not allowed as a harvest target (set HARVEST_ALLOW_PRIVATE_NETWORKS=true for on-premise sources).`,
        );
      }
    }
  }
  return { url, addresses };
}

/** A socket `lookup` that answers only with the checked addresses (DNS-rebinding proof pinning). */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number | string }, callback: (...args: unknown[]) => void) => {
    const wanted = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const usable = addresses.filter((a) => wanted === 0 || a.family === wanted);
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`No checked address of ${hostname} for this address family`);
      error.code = 'ENOTFOUND';
      callback(error);
      return;
    }
    if (options.all) callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, usable[0].address, usable[0].family);
  }) as LookupFunction;
}
