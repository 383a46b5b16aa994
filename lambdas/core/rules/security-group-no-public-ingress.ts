/**
 * security-group.no-public-ingress: no security group on a Redis server admits traffic from the
 * whole internet (0.0.0.0/0 or ::/0), whatever the port.
 */
import { isAnyAddress, parseCidrCached } from '../network/cidr';
import { notInSnapshot } from '../network/missing-evidence';
import { rangesIntersect, singlePort, describeTcp } from '../network/port-range';
import { isAllTraffic, tcpPortsOf, coversTcp } from '../network/protocol';
import { listIds, redisServersByGroup, usageScope } from '../network/redis-placement';
import { REQUIREMENT } from '../requirements';
import type { IpPermission } from '../snapshot/schema';
import type { Severity } from '../model';
import { resourceFinding, type RuleDefinition, type Verdict } from './rule';

function openRanges(permission: IpPermission): string[] {
  const texts = [...(permission.IpRanges ?? []).map((r) => r.CidrIp), ...(permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)];
  return texts.filter((t): t is string => {
    if (!t) return false;
    const cidr = parseCidrCached(t);
    return !!cidr && isAnyAddress(cidr);
  });
}

function describePermission(permission: IpPermission): string {
  if (isAllTraffic(permission.IpProtocol)) return 'all traffic';
  const protocol = permission.IpProtocol === '6' ? 'tcp' : permission.IpProtocol === '17' ? 'udp' : (permission.IpProtocol ?? '?');
  const from = permission.FromPort;
  const to = permission.ToPort;
  if (from === undefined || from === -1) return protocol.toUpperCase();
  return `${protocol.toUpperCase()} ${from === to ? from : `${from}-${to}`}`;
}

function coversRedisPort(permission: IpPermission, ports: readonly number[]): boolean {
  if (isAllTraffic(permission.IpProtocol)) return true;
  if (!coversTcp(permission.IpProtocol)) return false;
  const opened = tcpPortsOf(permission.IpProtocol, permission.FromPort, permission.ToPort);
  return ports.some((p) => rangesIntersect(opened, singlePort(p)));
}

export const securityGroupNoPublicIngressRule: RuleDefinition = {
  id: 'security-group.no-public-ingress',
  resourceType: 'AWS::EC2::SecurityGroup',
  title: 'Redis security group admits no traffic from the internet',
  requirement: REQUIREMENT.ownSubnet,
  evaluate(target) {
    const ports = target.config.redisPorts;
    const required = 'No inbound rule from 0.0.0.0/0 or ::/0; Redis ports open only to the front-ends (and the cluster members).';
    return [...redisServersByGroup(target)].map(([groupId, servers]) => {
      const group = target.securityGroups.get(groupId);
      const scope = usageScope(servers);
      const users = `Used by Redis server(s) ${listIds(servers.map((s) => s.instanceId))}.`;
      const finding = (verdict: Verdict) =>
        resourceFinding(securityGroupNoPublicIngressRule, { resourceType: 'AWS::EC2::SecurityGroup', resourceId: groupId, resourceName: group?.GroupName, accountId: target.accountId, region: target.region, ...scope }, verdict);
      const topSeverity: Severity = scope.production ? 'critical' : 'high';
      if (!group) {
        return finding({ status: 'UNKNOWN', severity: topSeverity, observed: `${notInSnapshot(target, `Security group ${groupId}`, 'DescribeSecurityGroups')} ${users}`, required, remediation: `Make sure the collector can describe security group ${groupId} (ec2:DescribeSecurityGroups) and scan again.` });
      }
      const open = (group.IpPermissions ?? []).map((permission) => ({ permission, ranges: openRanges(permission) })).filter((o) => o.ranges.length > 0);
      if (open.length === 0) {
        return finding({ status: 'PASS', severity: topSeverity, observed: `No inbound rule of ${groupId} admits 0.0.0.0/0 or ::/0. ${users}`, required, remediation: `None needed. Keep inbound rules of ${groupId} limited to the front-ends' security group.` });
      }
      const redisPortOpen = open.some((o) => coversRedisPort(o.permission, ports));
      const severity: Severity = scope.production && redisPortOpen ? 'critical' : 'high';
      const rules = open.map((o) => `${describePermission(o.permission)} from ${o.ranges.join(' and ')}`);
      return finding({
        status: 'FAIL',
        severity,
        observed: `Security group ${groupId} admits from the internet: ${rules.join('; ')}${redisPortOpen ? ` (includes the Redis port(s) ${ports.map((p) => describeTcp(singlePort(p))).join(', ')})` : ''}. ${users}`,
        required,
        remediation: `Remove the inbound rule(s) ${rules.join('; ')} from security group ${groupId}; admit Redis ports ${ports.join(', ')} only from the OutSystems front-ends' security group (and the cluster's own group for the cluster bus), and use SSM Session Manager instead of open SSH/RDP.`,
      });
    });
  },
};
