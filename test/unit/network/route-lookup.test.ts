import { parseIp } from '../../../lambdas/core/network/cidr';
import { lookupRoute } from '../../../lambdas/core/network/route-lookup';
import type { Route, RouteTable } from '../../../lambdas/core/snapshot/schema';

function table(routes: Route[]): RouteTable {
  return { RouteTableId: 'rtb-0test', Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, ...routes] };
}

function lookup(routes: Route[], ip: string) {
  return lookupRoute(table(routes), parseIp(ip)!);
}

describe('lookupRoute', () => {
  it.each<[string, Route[], string, string | undefined]>([
    ['the local route for an address of the VPC', [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a', State: 'active' }], '10.0.1.11', 'local'],
    ['the default route for anything else', [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a', State: 'active' }], '192.0.2.1', 'nat-0a'],
    ['the longest prefix among overlapping routes', [{ DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-0a' }, { DestinationCidrBlock: '10.1.2.0/24', VpcPeeringConnectionId: 'pcx-0a' }], '10.1.2.9', 'pcx-0a'],
    ['the shorter one outside the longer', [{ DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-0a' }, { DestinationCidrBlock: '10.1.2.0/24', VpcPeeringConnectionId: 'pcx-0a' }], '10.1.3.9', 'tgw-0a'],
    ['a more specific route inside the VPC beats local', [{ DestinationCidrBlock: '10.0.1.0/24', NetworkInterfaceId: 'eni-0fw' }], '10.0.1.11', 'eni-0fw'],
    ['no route at all', [], '192.0.2.1', undefined],
    ['IPv6 routes for IPv6 addresses', [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a' }, { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-0a' }], '2001:db8::1', 'eigw-0a'],
  ])('%s', (_, routes, ip, targetId) => {
    expect(lookup(routes, ip).match?.target.id).toBe(targetId);
  });

  it('lets a blackhole route win and marks it', () => {
    const result = lookup([{ DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-0gone', State: 'blackhole' }, { DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-0a' }], '10.1.0.5');
    expect(result.match).toMatchObject({ blackhole: true, target: { kind: 'vpc-peering', id: 'pcx-0gone' } });
  });

  it('classifies targets', () => {
    expect(lookup([{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a' }], '8.8.8.8').match?.target.kind).toBe('internet-gateway');
    expect(lookup([{ DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-0a' }], '8.8.8.8').match?.target.kind).toBe('transit-gateway');
    expect(lookup([{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'vgw-0a' }], '8.8.8.8').match?.target.kind).toBe('virtual-private-gateway');
  });

  it('flags customer prefix-list routes as uncertain unless the local route wins', () => {
    const routes: Route[] = [{ DestinationPrefixListId: 'pl-0corp', TransitGatewayId: 'tgw-0a' }, { DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-0a' }];
    expect(lookup(routes, '10.1.0.5').uncertainPrefixLists).toEqual(['pl-0corp']);
    expect(lookup(routes, '10.0.1.5').uncertainPrefixLists).toEqual([]);
  });

  it('ignores gateway-endpoint prefix lists (AWS service ranges)', () => {
    const routes: Route[] = [{ DestinationPrefixListId: 'pl-6da54004', GatewayId: 'vpce-0s3' }, { DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-0a' }];
    expect(lookup(routes, '10.1.0.5').uncertainPrefixLists).toEqual([]);
  });
});
