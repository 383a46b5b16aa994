/**
 * The public address space, and whether a set of CIDR blocks covers it or touches it.
 *
 * Public IPv4: every address outside the special-purpose blocks that the IANA IPv4 Special-Purpose
 * Address Registry (RFC 6890 and updates) marks as not globally reachable, plus multicast
 * (224.0.0.0/4): this network, private (RFC 1918), shared (RFC 6598), loopback, link-local,
 * documentation, benchmarking, reserved and broadcast. Public IPv6: the global unicast block
 * 2000::/3 (RFC 4291; RFC 3587), where every address the internet routes lies.
 *
 * `0.0.0.0/1` + `128.0.0.0/1` admits the internet as surely as `0.0.0.0/0`: coverage is judged on
 * the union of the ranges, never range by range.
 */
import { parseCidr, type Cidr, type IpFamily } from './cidr';

interface Interval {
  start: bigint;
  end: bigint;
}

const NOT_PUBLIC_IPV4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

const FULL: Record<IpFamily, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

function intervalOf(cidr: Cidr): Interval {
  const bits = cidr.family === 4 ? 32n : 128n;
  return { start: cidr.network, end: cidr.network + (1n << (bits - BigInt(cidr.prefix))) - 1n };
}

/** Sorted, non-overlapping, adjacent ones joined. */
function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last && next.start <= last.end + 1n) {
      if (next.end > last.end) last.end = next.end;
    } else out.push({ start: next.start, end: next.end });
  }
  return out;
}

/** `from` minus `minus` (both merged). */
function subtract(from: readonly Interval[], minus: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const piece of from) {
    let start = piece.start;
    for (const cut of minus) {
      if (cut.end < start || cut.start > piece.end) continue;
      if (cut.start > start) out.push({ start, end: cut.start - 1n });
      start = cut.end + 1n;
      if (start > piece.end) break;
    }
    if (start <= piece.end) out.push({ start, end: piece.end });
  }
  return out;
}

function blocks(texts: readonly string[]): Interval[] {
  return texts.map((t) => intervalOf(parseCidr(t)!));
}

const PUBLIC: Record<IpFamily, Interval[]> = {
  4: subtract([{ start: 0n, end: FULL[4] }], merge(blocks(NOT_PUBLIC_IPV4))),
  6: blocks(['2000::/3']),
};

/** Whether `cidr` holds at least one public address (overlaps a public interval). */
export function touchesPublicSpace(cidr: Cidr): boolean {
  const { start, end } = intervalOf(cidr);
  return PUBLIC[cidr.family].some((p) => p.start <= end && start <= p.end);
}

/** Whether the union of `cidrs` (of one family; others ignored) holds every public address of `family`. */
export function coversPublicSpace(cidrs: readonly Cidr[], family: IpFamily): boolean {
  const own = cidrs.filter((c) => c.family === family).map(intervalOf);
  if (own.length === 0) return false;
  return subtract(PUBLIC[family], merge(own)).length === 0;
}
