/**
 * subnet.private: a subnet holding Redis servers (or tagged for Redis) has no route to an internet
 * gateway and does not hand out public addresses. Egress-only internet gateways (eigw-) are
 * outbound-only and do not make a subnet public.
 */
import { tagValue } from '../estate/tags';
import { ec2Error, notInSnapshot } from '../network/missing-evidence';
import { redisServersInSubnet, usageScope } from '../network/redis-placement';
import { REQUIREMENT } from '../requirements';
import type { Route } from '../snapshot/schema';
import { describeError, resourceFinding, type RuleDefinition, type Verdict } from './rule';

function isInternetGatewayRoute(route: Route): boolean {
  return !!route.GatewayId?.startsWith('igw-') && route.State !== 'blackhole';
}

function describeIgwRoute(route: Route): string {
  const destination = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId ?? '(no destination)';
  const note = destination === '0.0.0.0/0' ? ' (IPv4 default route to the internet)' : destination === '::/0' ? ' (IPv6 default route to the internet)' : '';
  return `${destination} -> ${route.GatewayId}${note}`;
}

export const subnetPrivateRule: RuleDefinition = {
  id: 'subnet.private',
  resourceType: 'AWS::EC2::Subnet',
  title: 'Redis subnet is private (no internet gateway route, no public addresses)',
  requirement: REQUIREMENT.ownSubnet,
  evaluate(target) {
    const required = 'No route to an internet gateway (igw-) in the effective route table, MapPublicIpOnLaunch false, and no IPv6 auto-assignment towards an internet gateway.';
    return [...target.redisSubnetIds].map((subnetId) => {
      const subnet = target.subnets.get(subnetId);
      const servers = redisServersInSubnet(target, subnetId);
      const scope = usageScope(servers, (subnet && tagValue(subnet.Tags, target.config.tags.environmentKey)) || undefined);
      const severity = scope.production ? 'high' : 'medium';
      const finding = (verdict: Verdict) =>
        resourceFinding(subnetPrivateRule, { resourceType: 'AWS::EC2::Subnet', resourceId: subnetId, resourceName: subnet ? tagValue(subnet.Tags, 'Name') : undefined, accountId: target.accountId, region: target.region, ...scope }, verdict);
      if (!subnet) {
        return finding({ status: 'UNKNOWN', severity, observed: notInSnapshot(target, `Subnet ${subnetId}`, 'DescribeSubnets'), required, remediation: `Make sure the collector can describe subnet ${subnetId} (ec2:DescribeSubnets) and scan again.` });
      }
      const problems: string[] = [];
      const remediations: string[] = [];
      // Facts of the subnet itself decide on their own, whatever the route table says.
      if (subnet.MapPublicIpOnLaunch) {
        problems.push('MapPublicIpOnLaunch is true: instances launched here get a public IPv4 address');
        remediations.push(`Turn off auto-assign public IPv4 on subnet ${subnetId} (aws ec2 modify-subnet-attribute --subnet-id ${subnetId} --no-map-public-ip-on-launch).`);
      }
      const table = target.routeTableForSubnet(subnetId);
      const explicit = !!table && (table.Associations ?? []).some((a) => a.SubnetId === subnetId);
      const routeError = ec2Error(target, 'DescribeRouteTables');
      // The table in force is unknown when none is on record, or when only the main table is and
      // the failed listing may have hidden an explicit association.
      const routesUnknown = !table
        ? notInSnapshot(target, `The route table of subnet ${subnetId} (explicit or its VPC's main table)`, 'DescribeRouteTables')
        : !explicit && routeError
          ? `Subnet ${subnetId} would use its VPC's main route table ${table.RouteTableId}, but an explicit association may be missing: ${describeError(routeError)}.`
          : undefined;
      const serversText = servers.length > 0 ? ` It holds Redis server(s) ${servers.map((redisServer) => redisServer.instanceId).join(', ')}.` : '';
      if (routesUnknown !== undefined) {
        if (problems.length > 0) {
          return finding({ status: 'FAIL', severity, observed: `Subnet ${subnetId} is public: ${problems.join('; ')}. Its routes were not judged: ${routesUnknown}${serversText}`, required, remediation: `${remediations.join(' ')} Then check its route table for internet gateway routes.` });
        }
        return finding({ status: 'UNKNOWN', severity, observed: routesUnknown, required, remediation: 'Make sure the collector can describe route tables (ec2:DescribeRouteTables) and scan again.' });
      }
      const tableText = `route table ${table!.RouteTableId} (${explicit ? 'explicitly associated' : "the VPC's main table"})`;
      const igwRoutes = (table!.Routes ?? []).filter(isInternetGatewayRoute);
      if (igwRoutes.length > 0) {
        problems.unshift(`${tableText} routes to an internet gateway: ${igwRoutes.map(describeIgwRoute).join('; ')}`);
        const destinations = igwRoutes.map((r) => r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId).join(', ');
        remediations.unshift(
          explicit
            ? `Remove the internet gateway route(s) ${destinations} from route table ${table!.RouteTableId} (use a NAT gateway for outbound access), or associate subnet ${subnetId} with a private route table.`
            : `Associate subnet ${subnetId} with a private route table (it now uses the main table ${table!.RouteTableId}, which routes ${destinations} to an internet gateway).`,
        );
      }
      if (subnet.AssignIpv6AddressOnCreation && igwRoutes.length > 0) {
        problems.push('AssignIpv6AddressOnCreation is true with an internet gateway route: new interfaces get globally routable IPv6 addresses');
        remediations.push(`Turn off IPv6 auto-assignment on subnet ${subnetId} (aws ec2 modify-subnet-attribute --subnet-id ${subnetId} --no-assign-ipv6-address-on-creation).`);
      }
      if (problems.length > 0) {
        return finding({ status: 'FAIL', severity, observed: `Subnet ${subnetId} is public: ${problems.join('; ')}.${serversText}`, required, remediation: remediations.join(' ') });
      }
      return finding({
        status: 'PASS',
        severity,
        observed: `Subnet ${subnetId} uses ${tableText}, which has no internet gateway route; MapPublicIpOnLaunch is ${subnet.MapPublicIpOnLaunch ? 'true' : 'false'}.${serversText}`,
        required,
        remediation: `None needed. Keep internet gateway routes out of route table ${table!.RouteTableId} and public IP auto-assignment off.`,
      });
    });
  },
};
