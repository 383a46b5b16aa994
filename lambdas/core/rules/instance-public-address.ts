/**
 * instance.public-address: a Redis server has no public IPv4 address (auto-assigned or Elastic IP,
 * on any interface or secondary private address) and no IPv6 address (AWS IPv6 addresses are
 * globally routable).
 */
import type { Severity } from '../model';
import type { Instance } from '../snapshot/schema';
import { REQUIREMENT } from '../requirements';
import { serverFinding, type RuleDefinition } from './rule';

interface PublicAddress {
  address: string;
  where: string;
}

function ipv4Kind(ownerId: string | undefined): string {
  return ownerId && ownerId !== 'amazon' ? 'Elastic IP' : 'public IPv4';
}

/** Cheap test first: almost every Redis server has no public address, and then nothing needs building. */
function hasPublicAddress(instance: Instance): boolean {
  if (instance.PublicIpAddress || instance.Ipv6Address) return true;
  for (const eni of instance.NetworkInterfaces ?? []) {
    if (eni.Association?.PublicIp) return true;
    for (const privateAddress of eni.PrivateIpAddresses ?? []) if (privateAddress.Association?.PublicIp) return true;
    for (const ipv6 of eni.Ipv6Addresses ?? []) if (ipv6.Ipv6Address) return true;
  }
  return false;
}

/** Every public address on the instance or its interfaces, each once, where it was first seen. */
function publicAddresses(instance: Instance): PublicAddress[] {
  const found = new Map<string, PublicAddress>();
  const add = (address: string | undefined, where: string) => {
    if (address && !found.has(address)) found.set(address, { address, where });
  };
  for (const eni of instance.NetworkInterfaces ?? []) {
    const eniId = eni.NetworkInterfaceId ?? 'an interface';
    if (eni.Association?.PublicIp) add(eni.Association.PublicIp, `${ipv4Kind(eni.Association.IpOwnerId)} on ${eniId}`);
    for (const privateAddress of eni.PrivateIpAddresses ?? []) {
      const association = privateAddress.Association;
      if (association?.PublicIp) add(association.PublicIp, `${ipv4Kind(association.IpOwnerId)} on ${eniId}, mapped to ${privateAddress.PrivateIpAddress ?? 'a private address'}`);
    }
    for (const ipv6 of eni.Ipv6Addresses ?? []) add(ipv6.Ipv6Address, `IPv6 address on ${eniId}`);
  }
  add(instance.PublicIpAddress, 'public IPv4 of the instance');
  add(instance.Ipv6Address, 'IPv6 address of the instance');
  return [...found.values()];
}

export const instancePublicAddressRule: RuleDefinition = {
  id: 'instance.public-address',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server has no public address',
  requirement: REQUIREMENT.ownSubnet,
  evaluate(target) {
    const required = 'No public IPv4 address, no Elastic IP and no IPv6 address on any network interface of the Redis server.';
    return target.redisServers.map((server) => {
      const instance = server.instance;
      const severity: Severity = server.production ? 'critical' : 'high';
      const addresses = hasPublicAddress(instance) ? publicAddresses(instance) : [];
      if (addresses.length > 0) {
        const hasIpv4 = addresses.some((a) => !a.where.startsWith('IPv6'));
        const hasIpv6 = addresses.some((a) => a.where.startsWith('IPv6'));
        const remediations: string[] = [];
        if (hasIpv4) remediations.push(`Release or disassociate the Elastic IP(s) / stop auto-assigning public IPv4 (relaunch ${server.instanceId} in a subnet with MapPublicIpOnLaunch false, or modify the interface).`);
        if (hasIpv6) remediations.push(`Unassign the IPv6 address(es) (aws ec2 unassign-ipv6-addresses) and turn off IPv6 auto-assignment on the subnet.`);
        return serverFinding(instancePublicAddressRule, server, {
          status: 'FAIL',
          severity,
          observed: `Redis server has ${addresses.length} public address(es): ${addresses.map((a) => `${a.address} (${a.where})`).join('; ')}.`,
          required,
          remediation: `${remediations.join(' ')} Front-ends reach Redis over private addresses.`,
        });
      }
      if (!instance.NetworkInterfaces) {
        return serverFinding(instancePublicAddressRule, server, {
          status: 'UNKNOWN',
          severity,
          observed: 'The instance record lists no network interfaces, so addresses on its interfaces cannot be checked.',
          required,
          remediation: 'Capture ec2:DescribeInstances with network interfaces and scan again.',
        });
      }
      return serverFinding(instancePublicAddressRule, server, {
        status: 'PASS',
        severity,
        observed: `No public IPv4, Elastic IP or IPv6 address on the instance or its ${instance.NetworkInterfaces.length} network interface(s); private address ${instance.PrivateIpAddress ?? '(none listed)'}.`,
        required,
        remediation: 'None needed. Keep the Redis subnet without public IP auto-assignment.',
      });
    });
  },
};
