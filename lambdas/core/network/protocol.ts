/**
 * Which rule protocols cover TCP. Security groups say 'tcp', '6' or '-1' (all); network ACL entries
 * say '6' or '-1'. Both report port ranges only for TCP/UDP rules: '-1' means every port.
 */
import { ALL_PORTS, type PortRange } from './port-range';

export function coversTcp(protocol: string | undefined): boolean {
  if (protocol === undefined) return false;
  const p = protocol.trim().toLowerCase();
  return p === '-1' || p === 'tcp' || p === '6' || p === 'all';
}

export function isAllTraffic(protocol: string | undefined): boolean {
  const p = protocol?.trim().toLowerCase();
  return p === '-1' || p === 'all';
}

/**
 * The TCP ports a rule opens. A TCP rule without ports is read as every port: the EC2 API always
 * returns both bounds for TCP, so this only matters for hand-written snapshots.
 */
export function tcpPortsOf(protocol: string | undefined, from: number | undefined, to: number | undefined): PortRange {
  if (isAllTraffic(protocol)) return ALL_PORTS;
  if (from === undefined || to === undefined || from < 0 || to < 0) return ALL_PORTS;
  return { from, to };
}
