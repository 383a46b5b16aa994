/**
 * IPv4 and IPv6 addresses and CIDR blocks, parsed to integers so that containment is a mask and a
 * compare. Accepts what the EC2 APIs return: dotted quads, IPv6 with `::` compression (and an
 * embedded dotted quad such as `::ffff:10.0.0.1`), `/0` to full-length prefixes, and bare host
 * addresses (read as /32 or /128). Host bits set under the prefix are masked off, as AWS does.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
  /** The address as written. */
  text: string;
}

export interface Cidr {
  family: IpFamily;
  prefix: number;
  /** The network address (host bits cleared). */
  network: bigint;
  mask: bigint;
  /** The block as written. */
  text: string;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4Value(text: string): bigint | undefined {
  // One pass over the characters: 1-3 decimal digits per octet (each <= 255), exactly four octets.
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
    } else {
      return undefined;
    }
    if (octet > 255) return undefined;
  }
  if (digits === 0 || dots !== 3) return undefined;
  return BigInt(value * 256 + octet);
}

/** Parses one side of a `::` into 16-bit groups; a trailing dotted quad counts as two groups. */
function ipv6Groups(side: string, allowTrailingIpv4: boolean): number[] | undefined {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (allowTrailingIpv4 && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4Value(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      continue;
    }
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function parseIpv6Value(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = ipv6Groups(halves[0]!, false);
    const tail = ipv6Groups(halves[1]!, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = ipv6Groups(text, true);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6Value(trimmed);
    return value === undefined ? undefined : { family: 6, value, text: trimmed };
  }
  const value = parseIpv4Value(trimmed);
  return value === undefined ? undefined : { family: 4, value, text: trimmed };
}

function maskFor(family: IpFamily, prefix: number): bigint {
  const bits = BITS[family];
  if (prefix === 0) return 0n;
  return ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

/** Parses `address/prefix` or a bare host address; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = parseIp(slash === -1 ? trimmed : trimmed.slice(0, slash));
  if (!address) return undefined;
  const bits = BITS[address.family];
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  const mask = maskFor(address.family, prefix);
  return { family: address.family, prefix, network: address.value & mask, mask, text: trimmed };
}

/** True when `ip` lies inside `cidr` (never across families). */
export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && (ip.value & cidr.mask) === cidr.network;
}

/** True when every address of `inner` lies inside `outer`. */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && (inner.network & outer.mask) === outer.network;
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContainsCidr(a, b) || cidrContainsCidr(b, a);
}

/** True for 0.0.0.0/0 and ::/0 (any address of the family). */
export function isAnyAddress(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

const parsedCache = new Map<string, Cidr | null>();
const PARSED_CACHE_LIMIT = 100_000;

/** parseCidr with a bounded memo: rule sets repeat the same few blocks across thousands of groups. */
export function parseCidrCached(text: string): Cidr | undefined {
  const cached = parsedCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const parsed = parseCidr(text);
  if (parsedCache.size >= PARSED_CACHE_LIMIT) parsedCache.clear();
  parsedCache.set(text, parsed ?? null);
  return parsed;
}
