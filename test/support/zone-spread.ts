/**
 * Spreads the compliant estate's three Redis servers over three Availability Zones, as AWS places
 * them: each in its own Redis subnet (one subnet lives in one zone), same security group, the
 * default network ACL, the VPC's main route table.
 */
import { REDIS_IDS, type EstateBuilder } from './estate-builder';

export const ZONE_SUBNETS = [
  { subnetId: 'subnet-0redis0000000001', zone: 'eu-west-1a', cidr: '10.0.1.0/24' },
  { subnetId: 'subnet-0redis000000000b', zone: 'eu-west-1b', cidr: '10.0.3.0/24' },
  { subnetId: 'subnet-0redis000000000c', zone: 'eu-west-1c', cidr: '10.0.4.0/24' },
] as const;

export function acrossZones(estate: EstateBuilder): EstateBuilder {
  for (const { subnetId, cidr } of ZONE_SUBNETS.slice(1)) estate.subnet(subnetId, cidr, { tags: { Role: 'redis', Name: `redis-prod-${subnetId.slice(-1)}` } });
  return estate.mutate((t) => {
    for (const { subnetId, zone } of ZONE_SUBNETS) t.ec2.Subnets.find((s) => s.SubnetId === subnetId)!.AvailabilityZone = zone;
    const acl = t.ec2.NetworkAcls.find((a) => a.IsDefault)!;
    for (const { subnetId } of ZONE_SUBNETS.slice(1)) acl.Associations!.push({ NetworkAclAssociationId: `aclassoc-${subnetId}`, NetworkAclId: acl.NetworkAclId, SubnetId: subnetId });
    REDIS_IDS.forEach((id, i) => {
      if (i === 0) return;
      const { subnetId, cidr } = ZONE_SUBNETS[i]!;
      const ip = `${cidr.split('.').slice(0, 3).join('.')}.${11 + i}`;
      const instance = t.ec2.Reservations.flatMap((r) => r.Instances ?? []).find((x) => x.InstanceId === id)!;
      instance.SubnetId = subnetId;
      instance.PrivateIpAddress = ip;
      for (const eni of instance.NetworkInterfaces ?? []) Object.assign(eni, { SubnetId: subnetId, PrivateIpAddress: ip, PrivateIpAddresses: [{ PrivateIpAddress: ip, Primary: true }] });
      for (const eni of t.ec2.NetworkInterfaces) if (eni.Attachment?.InstanceId === id) Object.assign(eni, { SubnetId: subnetId, PrivateIpAddress: ip });
    });
  });
}
