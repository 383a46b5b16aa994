/**
 * security-group.no-public-ingress: no security group on a Redis server admits traffic from public
 * addresses, whatever the port. The union of the group's inbound ranges is judged: ranges that
 * together cover every public IPv4 or every global IPv6 address (0.0.0.0/0, ::/0, or 0.0.0.0/1 +
 * 128.0.0.0/1, 2000::/3 ...) admit the whole internet; any other range holding public addresses is
 * public exposure too, one severity step lower, and is named.
 */
import { parseCidrCached, type Cidr } from '../network/cidr';
import { notInSnapshot } from '../network/missing-evidence';
import { rangesIntersect, singlePort, describeTcp } from '../network/port-range';
import { isAllTraffic, tcpPortsOf, coversTcp } from '../network/protocol';
import { coversPublicSpace, touchesPublicSpace } from '../network/public-address-space';
import { listIds, redisServersByGroup, usageScope } from '../network/redis-placement';
import { REQUIREMENT } from '../requirements';
import type { IpPermission } from '../snapshot/schema';
import type { Severity } from '../model';
import { resourceFinding, type RuleDefinition, type Verdict } from './rule';

/** The ranges of one inbound rule that hold public addresses, as written and parsed. */
interface PublicRanges {
  permission: IpPermission;
  texts: string[];
  cidrs: Cidr[];
}

function publicRanges(permission: IpPermission, prefixLists: ReadonlyMap<string, readonly string[]>): PublicRanges {
  const texts: string[] = [];
  const cidrs: Cidr[] = [];
  const consider = (text: string | undefined, shown = text) => {
    if (!text) return;
    const cidr = parseCidrCached(text);
    if (cidr && touchesPublicSpace(cidr)) {
      texts.push(shown!);
      cidrs.push(cidr);
    }
  };
  for (const range of permission.IpRanges ?? []) consider(range.CidrIp);
  for (const range of permission.Ipv6Ranges ?? []) consider(range.CidrIpv6);
  // The entries of a prefix list that was read are judged like the rule's own ranges.
  for (const list of permission.PrefixListIds ?? []) {
    for (const entry of (list.PrefixListId ? prefixLists.get(list.PrefixListId) : undefined) ?? []) consider(entry, `${entry} (prefix list ${list.PrefixListId})`);
  }
  return { permission, texts, cidrs };
}

/** Whether the ranges of `rules` together hold every public IPv4 or every global IPv6 address. */
function coverTheInternet(rules: readonly PublicRanges[]): boolean {
  const all = rules.flatMap((r) => r.cidrs);
  return coversPublicSpace(all, 4) || coversPublicSpace(all, 6);
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
    const required = 'No inbound rule from public addresses (0.0.0.0/0, ::/0, or any range, alone or with the others, that holds public addresses); Redis ports open only to the front-ends (and the cluster members).';
    return [...redisServersByGroup(target)].map(([groupId, servers]) => {
      const group = target.securityGroups.get(groupId);
      const scope = usageScope(servers);
      const users = `Used by Redis server(s) ${listIds(servers.map((redisServer) => redisServer.instanceId))}.`;
      const finding = (verdict: Verdict) =>
        resourceFinding(securityGroupNoPublicIngressRule, { resourceType: 'AWS::EC2::SecurityGroup', resourceId: groupId, resourceName: group?.GroupName, accountId: target.accountId, region: target.region, ...scope }, verdict);
      const topSeverity: Severity = scope.production ? 'critical' : 'high';
      if (!group) {
        return finding({ status: 'UNKNOWN', severity: topSeverity, observed: `${notInSnapshot(target, `Security group ${groupId}`, 'DescribeSecurityGroups')} ${users}`, required, remediation: `Make sure the collector can describe security group ${groupId} (ec2:DescribeSecurityGroups) and scan again.` });
      }
      const open = (group.IpPermissions ?? []).map((p) => publicRanges(p, target.prefixLists)).filter((o) => o.cidrs.length > 0);
      // A prefix list whose entries were not read may hold public ranges (AWS-managed ones such as
      // CloudFront's origin-facing list do), so a group naming one is not judged clean.
      const prefixLists = [...new Set((group.IpPermissions ?? []).flatMap((p) => (p.PrefixListIds ?? []).map((l) => l.PrefixListId).filter((id): id is string => !!id)))].filter((id) => !target.prefixLists.has(id));
      if (open.length === 0 && prefixLists.length > 0) {
        const error = target.errorFor('ec2:GetManagedPrefixListEntries');
        const why = error ? `whose entries could not be read (ec2:GetManagedPrefixListEntries ${error.code}: ${error.message})` : 'whose entries the snapshot does not hold';
        return finding({
          status: 'UNKNOWN',
          severity: topSeverity,
          observed: `No inbound rule of ${groupId} admits a public address range by CIDR, but its inbound rules name prefix list(s) ${prefixLists.join(', ')}, ${why}; they may hold public ranges. ${users}`,
          required,
          remediation: `Let the reader call ec2:GetManagedPrefixListEntries on ${prefixLists.join(', ')} and scan again (or check them: aws ec2 get-managed-prefix-list-entries --prefix-list-id <id>); better, admit the Redis ports from the front-ends' security group instead of a prefix list.`,
        });
      }
      if (open.length === 0) {
        return finding({ status: 'PASS', severity: topSeverity, observed: `No inbound rule of ${groupId} admits a public address range. ${users}`, required, remediation: `None needed. Keep inbound rules of ${groupId} limited to the front-ends' security group.` });
      }
      const onRedisPorts = open.filter((o) => coversRedisPort(o.permission, ports));
      const wholeInternet = coverTheInternet(open);
      const redisPortsToInternet = coverTheInternet(onRedisPorts);
      const severity: Severity = wholeInternet
        ? scope.production && redisPortsToInternet ? 'critical' : 'high'
        : scope.production && onRedisPorts.length > 0 ? 'high' : 'medium';
      const rules = open.map((o) => `${describePermission(o.permission)} from ${o.texts.join(' and ')}`);
      const what = wholeInternet
        ? `admits the whole internet (its public ranges together hold every public ${coversPublicSpace(open.flatMap((o) => o.cidrs), 4) ? 'IPv4' : 'IPv6'} address)`
        : 'admits public address ranges';
      const redisNote = onRedisPorts.length > 0 ? ` (includes the Redis port(s) ${ports.map((p) => describeTcp(singlePort(p))).join(', ')})` : '';
      return finding({
        status: 'FAIL',
        severity,
        observed: `Security group ${groupId} ${what}: ${rules.join('; ')}${redisNote}. ${users}`,
        required,
        remediation: `Remove the inbound rule(s) ${rules.join('; ')} from security group ${groupId}; admit Redis ports ${ports.join(', ')} only from the OutSystems front-ends' security group (and the cluster's own group for the cluster bus), and use SSM Session Manager instead of open SSH/RDP.`,
      });
    });
  },
};
