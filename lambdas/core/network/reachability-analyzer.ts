/**
 * Reachability for a whole estate without a (Redis servers x front-ends x rules) blow-up.
 *
 * A flow's verdict depends only on: the source's subnet, group set, ephemeral range and address,
 * the destination's subnet, group set and address, and the port. Addresses matter only through
 * the CIDRs of the rules that inspect them, so an address is replaced by its subnet's block when no
 * CIDR of those rules cuts through the block (see address-classes.ts). Hence:
 *  - front-ends are grouped once per environment into classes (subnet, groups, platform, address
 *    kind); a class is evaluated once per Redis server and port when the Redis side's rules judge
 *    its whole subnet alike, else member by member;
 *  - every flow verdict is cached under (port, family, source subnet+groups+ephemeral+address
 *    class, destination subnet+groups+address class, VPCs), so Redis servers sharing a subnet and
 *    group set reuse each other's verdicts;
 *  - the CIDRs each side's rules hold are gathered once per (subnet, group set, direction), and the
 *    "judged alike" test once per (rule side, subnet block).
 * Per Redis server the work is O(front-end classes x ports) map lookups once the caches are warm.
 */
import type { EstateTarget, Server } from '../estate/estate';
import { cidrContainsIp, type Cidr, type IpAddress, type IpFamily } from './cidr';
import { judgedAlikeOver, parseBlocks, subnetBlockHolding } from './address-classes';
import { resolveEndpoint, type NetworkEndpoint } from './endpoint';
import { clientPlatform, ephemeralPorts, type ClientPlatform } from './ephemeral-ports';
import type { PortRange } from './port-range';
import { evaluateFlow, type FlowEnd, type ReachabilityResult } from './reachability';
import { routeDestinations } from './route-lookup';

/** The verdict for some front-ends (all of one class, or a single one) to one Redis server port. */
export interface FlowGroupVerdict {
  frontends: readonly Server[];
  port: number;
  result: ReachabilityResult;
}

interface FrontendClass {
  members: Server[];
  representative: NetworkEndpoint;
  platform: ClientPlatform;
  ephemeral: PortRange;
}

type RuleSide = 'source' | 'destination';

export class ReachabilityAnalyzer {
  private readonly endpoints = new Map<string, NetworkEndpoint>();
  private readonly classesByList = new WeakMap<readonly Server[], FrontendClass[]>();
  private readonly flowCache = new Map<string, ReachabilityResult>();
  private readonly sideCidrs = new Map<string, Cidr[]>();
  private readonly alike = new Map<string, boolean>();
  /** How many flows were actually evaluated (the rest were cache hits); for tests and the benchmark. */
  evaluations = 0;

  constructor(private readonly target: EstateTarget) {}

  endpointOf(server: Server): NetworkEndpoint {
    let endpoint = this.endpoints.get(server.instanceId);
    if (!endpoint) {
      endpoint = resolveEndpoint(server.instance);
      this.endpoints.set(server.instanceId, endpoint);
    }
    return endpoint;
  }

  /** Verdicts for every (front-end, port) from `frontends` to `redis`, grouped where they are alike. */
  analyse(frontends: readonly Server[], redis: Server, ports: readonly number[]): FlowGroupVerdict[] {
    const destination = this.endpointOf(redis);
    const family: IpFamily | undefined = destination.ipv4 ? 4 : destination.ipv6 ? 6 : undefined;
    const out: FlowGroupVerdict[] = [];
    if (family === undefined) {
      const result: ReachabilityResult = {
        verdict: 'unknown',
        hop: 'destination-address',
        detail: `Redis server ${redis.instanceId} has no private IPv4 or IPv6 address in the snapshot.`,
        fix: `Check instance ${redis.instanceId} and capture again.`,
        issues: [],
      };
      result.issues.push({ hop: 'destination-address', verdict: 'unknown', detail: result.detail, fix: result.fix! });
      for (const port of ports) out.push({ frontends, port, result });
      return out;
    }
    const dstIp = (family === 4 ? destination.ipv4 : destination.ipv6)!;
    for (const cls of this.classesOf(frontends)) {
      const rep = cls.representative;
      const repIp = family === 4 ? rep.ipv4 : rep.ipv6;
      const block = repIp ? this.blockOf(rep, repIp) : undefined;
      const wholeClass = block !== undefined && this.judgedAlike('destination', destination, block);
      for (const port of ports) {
        if (wholeClass) {
          out.push({ frontends: cls.members, port, result: this.flow(rep, repIp!, cls, destination, dstIp, port) });
          continue;
        }
        for (const member of cls.members) {
          const endpoint = this.endpointOf(member);
          const ip = family === 4 ? endpoint.ipv4 : endpoint.ipv6;
          const result = ip ? this.flow(endpoint, ip, cls, destination, dstIp, port) : missingFamily(endpoint, redis.instanceId, family);
          out.push({ frontends: [member], port, result });
        }
      }
    }
    return out;
  }

  private flow(source: NetworkEndpoint, srcIp: IpAddress, cls: FrontendClass, destination: NetworkEndpoint, dstIp: IpAddress, port: number): ReachabilityResult {
    const srcBlock = this.blockOf(source, srcIp);
    const dstBlock = this.blockOf(destination, dstIp);
    const srcAlike = srcBlock !== undefined && this.judgedAlike('destination', destination, srcBlock);
    const dstAlike = dstBlock !== undefined && this.judgedAlike('source', source, dstBlock);
    const key = [
      port,
      srcIp.family,
      source.subnetId ?? `?${source.instanceId}`,
      source.groupKey || `?${source.instanceId}`,
      source.vpcId,
      `${cls.ephemeral.from}-${cls.ephemeral.to}`,
      srcAlike ? 'net' : srcIp.text,
      destination.subnetId ?? `?${destination.instanceId}`,
      destination.groupKey || `?${destination.instanceId}`,
      destination.vpcId,
      dstAlike ? 'net' : dstIp.text,
    ].join('|');
    const cached = this.flowCache.get(key);
    if (cached) return cached;
    this.evaluations++;
    const result = evaluateFlow(this.target, {
      source: { ...this.flowEnd(source, srcIp, srcAlike ? srcBlock : undefined), ephemeral: cls.ephemeral },
      destination: this.flowEnd(destination, dstIp, dstAlike ? dstBlock : undefined),
      port,
    });
    this.flowCache.set(key, result);
    return result;
  }

  private flowEnd(endpoint: NetworkEndpoint, ip: IpAddress, alikeBlock: Cidr | undefined): FlowEnd {
    const block = this.blockOf(endpoint, ip);
    return {
      endpoint,
      ip,
      label: alikeBlock ? `${endpoint.subnetId} (${alikeBlock.text})` : ip.text,
      ruleCidr: block ? block.text : ip.family === 4 ? `${ip.text}/32` : `${ip.text}/128`,
    };
  }

  private blockOf(endpoint: NetworkEndpoint, ip: IpAddress): Cidr | undefined {
    if (!endpoint.subnetId) return undefined;
    const block = subnetBlockHolding(this.target.subnets.get(endpoint.subnetId), ip);
    return block && cidrContainsIp(block, ip) ? block : undefined;
  }

  /** Whether the rules on `side` (applied by `endpoint`'s subnet and groups) judge every address of `block` alike. */
  private judgedAlike(side: RuleSide, endpoint: NetworkEndpoint, block: Cidr): boolean {
    const key = `${side}|${endpoint.subnetId}|${endpoint.groupKey}|${block.text}`;
    let alike = this.alike.get(key);
    if (alike === undefined) {
      alike = judgedAlikeOver(this.cidrsOfSide(side, endpoint), block);
      this.alike.set(key, alike);
    }
    return alike;
  }

  /**
   * Every CIDR that the rules of one end inspect the *other* end's address with: its groups'
   * egress (source) or ingress (destination) ranges, its subnet's ACL entries, its route table.
   */
  private cidrsOfSide(side: RuleSide, endpoint: NetworkEndpoint): Cidr[] {
    const key = `${side}|${endpoint.subnetId}|${endpoint.groupKey}`;
    let cidrs = this.sideCidrs.get(key);
    if (cidrs) return cidrs;
    const texts: Array<string | undefined> = [];
    for (const groupId of endpoint.groupIds) {
      const group = this.target.securityGroups.get(groupId);
      const permissions = side === 'source' ? group?.IpPermissionsEgress : group?.IpPermissions;
      for (const permission of permissions ?? []) {
        for (const range of permission.IpRanges ?? []) texts.push(range.CidrIp);
        for (const range of permission.Ipv6Ranges ?? []) texts.push(range.CidrIpv6);
      }
    }
    if (endpoint.subnetId) {
      for (const entry of this.target.networkAclForSubnet(endpoint.subnetId)?.Entries ?? []) texts.push(entry.CidrBlock, entry.Ipv6CidrBlock);
    }
    cidrs = parseBlocks(texts);
    const table = endpoint.subnetId ? this.target.routeTableForSubnet(endpoint.subnetId) : undefined;
    if (table) cidrs.push(...routeDestinations(table));
    this.sideCidrs.set(key, cidrs);
    return cidrs;
  }

  private classesOf(frontends: readonly Server[]): FrontendClass[] {
    let classes = this.classesByList.get(frontends);
    if (classes) return classes;
    const byKey = new Map<string, FrontendClass>();
    for (const frontend of frontends) {
      const endpoint = this.endpointOf(frontend);
      const platform = clientPlatform(frontend.instance, this.target.ssmInformation.get(frontend.instanceId));
      const addressKind = (ip: IpAddress | undefined) => (!ip ? 'none' : (this.blockOf(endpoint, ip)?.text ?? `out:${ip.text}`));
      const key = [endpoint.subnetId ?? `?${endpoint.instanceId}`, endpoint.groupKey, endpoint.vpcId, platform, addressKind(endpoint.ipv4), addressKind(endpoint.ipv6)].join('|');
      const existing = byKey.get(key);
      if (existing) existing.members.push(frontend);
      else byKey.set(key, { members: [frontend], representative: endpoint, platform, ephemeral: ephemeralPorts(platform) });
    }
    classes = [...byKey.values()];
    this.classesByList.set(frontends, classes);
    return classes;
  }
}

function missingFamily(endpoint: NetworkEndpoint, redisId: string, family: IpFamily): ReachabilityResult {
  const detail =
    family === 6
      ? `Redis server ${redisId} has only an IPv6 address, and front-end ${endpoint.instanceId} has no IPv6 address.`
      : `Front-end ${endpoint.instanceId} has no private IPv4 address, and Redis server ${redisId} is reached over IPv4.`;
  const fix = `Give front-end ${endpoint.instanceId} an IPv${family} address in its subnet (or give Redis server ${redisId} an address of the front-end's family).`;
  return { verdict: 'blocked', hop: 'source-address', detail, fix, issues: [{ hop: 'source-address', verdict: 'blocked', detail, fix }] };
}

const analyzers = new WeakMap<EstateTarget, ReachabilityAnalyzer>();

/** One analyzer (and so one set of caches) per estate target, shared by every rule that asks. */
export function reachabilityAnalyzerFor(target: EstateTarget): ReachabilityAnalyzer {
  let analyzer = analyzers.get(target);
  if (!analyzer) {
    analyzer = new ReachabilityAnalyzer(target);
    analyzers.set(target, analyzer);
  }
  return analyzer;
}
