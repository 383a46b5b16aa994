/** Inclusive TCP port ranges and the arithmetic the stateless/stateful rule evaluations need. */

export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

export function singlePort(port: number): PortRange {
  return { from: port, to: port };
}

export function rangesIntersect(a: PortRange, b: PortRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** The parts of `ranges` that `range` overlaps. */
export function intersection(ranges: readonly PortRange[], range: PortRange): PortRange[] {
  const out: PortRange[] = [];
  for (const r of ranges) {
    if (rangesIntersect(r, range)) out.push({ from: Math.max(r.from, range.from), to: Math.min(r.to, range.to) });
  }
  return out;
}

/** `ranges` minus `range`. */
export function subtract(ranges: readonly PortRange[], range: PortRange): PortRange[] {
  const out: PortRange[] = [];
  for (const r of ranges) {
    if (!rangesIntersect(r, range)) {
      out.push(r);
      continue;
    }
    if (r.from < range.from) out.push({ from: r.from, to: range.from - 1 });
    if (r.to > range.to) out.push({ from: range.to + 1, to: r.to });
  }
  return out;
}

/** "TCP 7000" or "TCP 49152-65535". */
export function describeTcp(range: PortRange): string {
  return range.from === range.to ? `TCP ${range.from}` : `TCP ${range.from}-${range.to}`;
}

export function describeTcpRanges(ranges: readonly PortRange[]): string {
  return ranges.map(describeTcp).join(', ');
}
