/**
 * The client-side (ephemeral) ports a front-end opens its Redis connections from. Return traffic
 * comes back to them, and network ACLs are stateless, so the whole range must be allowed.
 */
import type { Instance, InstanceInformation } from '../snapshot/schema';
import type { PortRange } from './port-range';

export type ClientPlatform = 'windows' | 'linux' | 'unknown';

/** Windows Server's dynamic port range (IANA). */
export const WINDOWS_EPHEMERAL: PortRange = { from: 49152, to: 65535 };
/** Linux's default net.ipv4.ip_local_port_range. */
export const LINUX_EPHEMERAL: PortRange = { from: 32768, to: 60999 };
/** When the platform is unknown: the union of both, so neither can be missed. */
export const UNKNOWN_PLATFORM_EPHEMERAL: PortRange = { from: 32768, to: 65535 };

export function clientPlatform(instance: Instance, ssm?: InstanceInformation): ClientPlatform {
  if (instance.Platform?.toLowerCase() === 'windows') return 'windows';
  const details = instance.PlatformDetails?.toLowerCase() ?? '';
  if (details.includes('windows')) return 'windows';
  if (details.includes('linux') || details.includes('red hat') || details.includes('suse') || details.includes('ubuntu')) return 'linux';
  const ssmPlatform = ssm?.PlatformType?.toLowerCase();
  if (ssmPlatform === 'windows') return 'windows';
  if (ssmPlatform === 'linux') return 'linux';
  return 'unknown';
}

export function ephemeralPorts(platform: ClientPlatform): PortRange {
  return platform === 'windows' ? WINDOWS_EPHEMERAL : platform === 'linux' ? LINUX_EPHEMERAL : UNKNOWN_PLATFORM_EPHEMERAL;
}
