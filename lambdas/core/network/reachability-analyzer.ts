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
 *  - when a class had to be split member by member, its merged verdicts towards a Redis "address
 *    class" (subnet, groups, VPC, and the address itself only when the front-end side's rules cut
 *    through the Redis subnet) and port are cached;
 *  - every flow verdict is cached under (port, family, source subnet+groups+ephemeral+address
 *    class, destination subnet+groups+address class, VPCs), so Redis servers sharing a subnet and
 *    group set reuse each other's verdicts; a reachable verdict is also cached under the
 *    destination groups that can matter to it (groupsThatMatter), so group sets that differ only
 *    in groups without a rule for the port (a cluster-bus group per cluster) share it;
 *  - the CIDRs each side's rules hold are gathered once per (subnet, group set, direction), and the
 *    "judged alike" test once per (rule side, subnet block);
 *  - callers that judge many Redis servers ask destinationClassOf first and reuse their verdict
 *    for servers of the same destination class.
 *  - the CIDR caches are keyed by a group's rules rather than its id where only its own rules name
 *    it, and a cluster analysing its own members can ask for its shape (membersShapeOf: groups
 *    only their own rules name written as their rules) and analyse stand-ins once per shape
 *    (canonicalMembers), so that one cluster-bus group per cluster does not mean one analysis per
 *    cluster.
 * Per Redis server the work is O(front-end classes x ports) map lookups once the caches are warm.
 */
import type { EstateTarget, Server } from '../estate/estate';
import { cidrContainsIp, type Cidr, type IpAddress, type IpFamily } from './cidr';
import { judgedAlikeOver, parseBlocks, subnetBlockHolding } from './address-classes';
import { resolveEndpoint, type NetworkEndpoint } from './endpoint';
import { clientPlatform, ephemeralPorts, type ClientPlatform } from './ephemeral-ports';
import { rangesIntersect, singlePort, type PortRange } from './port-range';
import { coversTcp, tcpPortsOf } from './protocol';
import type { IpPermission, SecurityGroup } from '../snapshot/schema';
import { evaluateFlow, type FlowEnd, type GroupLookup, type ReachabilityResult } from './reachability';
import { routeDestinations } from './route-lookup';

/** The verdict for some front-ends (all of one class, or a single one) to one Redis server port. */
export interface FlowGroupVerdict {
  frontends: readonly Server[];
  port: number;
  /** The verdict of every member; when `example` is set, the first member's (the others failed at the same hop with the same fix). */
  result: ReachabilityResult;
  example?: true;
}

interface FrontendClass {
  /**
   * Unique per class object. Classes are made per front-end list (one environment's front-ends), so
   * two environments whose front-ends share subnet, groups and platform have equal `key`s but
   * different members: caches of verdicts that list members are keyed by `id`, never by `key`.
   */
  id: number;
  key: string;
  members: Server[];
  representative: NetworkEndpoint;
  platform: ClientPlatform;
  ephemeral: PortRange;
}

type RuleSide = 'source' | 'destination';

/**
 * An opaque token for a Redis server as a destination: servers with the same token get equal
 * `analyse` results from the same front-end list (see `destinationClassOf`).
 */
export interface DestinationClass {
  readonly subnetId: string;
}

/** Interned destination classes: subnet -> group set -> VPC -> address block (judged alike) or address text. */
type DestinationClassIndex = Map<string, Map<string, Map<string | undefined, Map<Cidr | string, DestinationClass>>>>;

/**
 * A security group that only its own rules name (see ReachabilityAnalyzer.groupFormOf): what it
 * allows depends on its rules, with its own id as "itself", and not on which group it is.
 */
interface GroupForm {
  /** Equal for groups whose rules are equal once references to themselves are read as "itself", and whose names relate alike to their ids. */
  contentId: number;
  group: SecurityGroup;
}

/**
 * The members of a cluster as sources and destinations of each other, described without the ids of
 * the groups only they carry (see membersShapeOf): members of equal shapes get equal analyses, up to
 * those groups' ids and names and the members' own ids.
 */
/** Stand-ins for the members of a shape (see canonicalMembers), and the canonical groups in the shape's order. */
export interface StandIns {
  servers: Server[];
  groups: readonly SecurityGroup[];
}

export interface MembersShape {
  /** Equal keys, equal analyses (up to the names above). */
  key: string;
  /** The groups that the key describes by their rules, in the order the key numbers them. */
  groups: readonly SecurityGroup[];
}

export class ReachabilityAnalyzer {
  private readonly endpoints = new Map<string, NetworkEndpoint>();
  private readonly classesByList = new WeakMap<readonly Server[], FrontendClass[]>();
  private readonly flowCache = new Map<string, ReachabilityResult>();
  /** Reachable results under a key naming only the destination groups that matter (see groupsThatMatter). */
  private readonly reachableFlows = new Map<string, ReachabilityResult>();
  private readonly egressNamedGroups = new Map<string, ReadonlySet<string>>();
  private readonly classCache = new Map<string, FlowGroupVerdict[]>();
  private readonly sideCidrs = new Map<string, Cidr[]>();
  private readonly alike = new Map<string, boolean>();
  private readonly destinationClasses: DestinationClassIndex = new Map();
  /** Per front-end class list: whether every class judges a Redis subnet block alike. */
  private readonly blockAlikeForClasses = new WeakMap<FrontendClass[], Map<Cidr, boolean>>();
  /** How many flows were actually evaluated (the rest were cache hits); for tests and the benchmark. */
  evaluations = 0;
  private classCount = 0;
  /** False (EstateTarget.shareVerdicts): every front-end's flow is evaluated on its own, no verdict cache is read. */
  private readonly share: boolean;
  /** Canonical groups (see canonicalMembers), by their placeholder ids; each id always stands for the same group. */
  private readonly canonicalGroups = new Map<string, SecurityGroup>();
  /** Per group id: its form when only its own rules name it, else null. */
  private readonly groupForms = new Map<string, GroupForm | null>();
  /** Interned group contents (see GroupForm.contentId). */
  private readonly groupContents = new Map<string, number>();
  /** Ids of the groups that some other group's rules name. */
  private namedByOtherGroups: ReadonlySet<string> | undefined;
  /** Interned member shapes (see membersShapeOf), so canonical instance ids differ between shapes. */
  private readonly shapeIds = new Map<string, number>();
  /** Per endpoint: its subnet and the contents of its groups (see sideKeyOf). */
  private readonly sideKeys = new WeakMap<NetworkEndpoint, string>();
  private readonly sideKeysById = new Map<string, string>();
  private readonly groupLookup: GroupLookup = (groupId) => this.groupOf(groupId);
  /** Stand-ins' endpoints (see canonicalMembers), by the stand-in object: no real server's id can reach them. */
  private readonly standIns = new WeakMap<Server, NetworkEndpoint>();
  private standInCount = 0;
  private lastDestination: Server | undefined;
  private lastDestinationEndpoint: NetworkEndpoint | undefined;

  constructor(private readonly target: EstateTarget) {
    this.share = target.shareVerdicts;
  }

  /** A security group by id: the target's, or a canonical group standing in for one (placeholder ids start with NUL, which no AWS id holds). */
  private groupOf(groupId: string): SecurityGroup | undefined {
    if (this.canonicalGroups.size > 0 && groupId.charCodeAt(0) === 0) return this.canonicalGroups.get(groupId) ?? this.target.securityGroups.get(groupId);
    return this.target.securityGroups.get(groupId);
  }

  /**
   * A stand-in's endpoint (see canonicalMembers), else undefined. Every stand-in's id starts with
   * NUL, so a server whose id does not is none, without a WeakMap lookup.
   */
  private standInOf(server: Server): NetworkEndpoint | undefined {
    return this.standInCount > 0 && server.instanceId.charCodeAt(0) === 0 ? this.standIns.get(server) : undefined;
  }

  /** A Redis server's endpoint: the one resolved already when it was met as a source (or a canonical member), else resolved now and not kept. */
  private destinationEndpoint(server: Server): NetworkEndpoint {
    const kept = this.standInOf(server) ?? this.endpoints.get(server.instanceId);
    if (kept) return kept;
    // The last one is remembered: callers ask destinationClassOf, passShareKeyOf and analyse of one server in a row.
    if (this.lastDestination !== server) {
      this.lastDestination = server;
      this.lastDestinationEndpoint = resolveEndpoint(server.instance);
    }
    return this.lastDestinationEndpoint!;
  }

  /** The endpoint of a front-end, resolved once (front-ends are met again for every destination class). */
  endpointOf(server: Server): NetworkEndpoint {
    const standIn = this.standInOf(server);
    if (standIn) return standIn;
    let endpoint = this.endpoints.get(server.instanceId);
    if (!endpoint) {
      endpoint = resolveEndpoint(server.instance);
      this.endpoints.set(server.instanceId, endpoint);
    }
    return endpoint;
  }

  /** Verdicts for every (front-end, port) from `frontends` to `redis`, grouped where they are alike. */
  analyse(frontends: readonly Server[], redis: Server, ports: readonly number[]): FlowGroupVerdict[] {
    // Not kept in `endpoints`: a Redis server is analysed once (callers reuse the verdict per
    // destination class), and 100k kept endpoints would cost more memory than they save.
    const destination = this.destinationEndpoint(redis);
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
    const dstBlock = this.blockOf(destination, dstIp);
    for (const cls of this.classesOf(frontends)) {
      for (const port of ports) out.push(...this.analyseClass(cls, destination, dstIp, dstBlock, port));
    }
    return out;
  }

  /**
   * The destination class of `redis` towards `frontends`. `analyse` reads a Redis server only
   * through its subnet, group set, VPC and address, and the address only where some front-end
   * class's rules cut through the Redis subnet's block (else 'net' stands for it in every key).
   * So servers that share subnet, group set, VPC and either the block (judged alike by every
   * class) or the exact address get equal verdict groups: the caller can reuse its whole verdict.
   * Undefined when the server's own id enters its verdict (no address, subnet or group): no sharing.
   */
  destinationClassOf(frontends: readonly Server[], redis: Server): DestinationClass | undefined {
    const destination = this.destinationEndpoint(redis);
    const ip = destination.ipv4 ?? destination.ipv6;
    if (!ip || destination.subnetId === undefined || destination.groupKey === '') return undefined;
    const block = this.blockOf(destination, ip);
    const addressKey = block !== undefined && this.everyClassJudgesAlike(this.classesOf(frontends), block) ? block : ip.text;
    const bySubnet = getOrCreate(this.destinationClasses, destination.subnetId, () => new Map());
    const byGroups = getOrCreate(bySubnet, destination.groupKey, () => new Map());
    const byVpc = getOrCreate(byGroups, destination.vpcId, () => new Map());
    return getOrCreate(byVpc, addressKey, () => ({ subnetId: destination.subnetId! }));
  }

  /**
   * A key under which a PASS verdict for `redis` may be shared with other Redis servers: subnet,
   * VPC, address class, and only the destination groups that can take part in a reachable flow
   * from these front-ends on these ports (see groupsThatMatter, applied to every front-end class
   * and port at once). Security groups only ever allow, so a server whose other groups have no
   * rule for the ports and are named by no front-end's outbound rule is allowed exactly what a
   * server with the same kept groups is, and every hop of its flows says the same sentences.
   * Only verdicts where every flow was reachable may be shared under it.
   */
  passShareKeyOf(frontends: readonly Server[], redis: Server, ports: readonly number[]): string | undefined {
    const destination = this.destinationEndpoint(redis);
    const ip = destination.ipv4 ?? destination.ipv6;
    if (!ip || destination.subnetId === undefined || destination.groupKey === '') return undefined;
    const classes = this.classesOf(frontends);
    const block = this.blockOf(destination, ip);
    const addressKey = block !== undefined && this.everyClassJudgesAlike(classes, block) ? block.text : ip.text;
    let kept = '';
    for (const groupId of destination.groupIds) {
      const group = this.groupOf(groupId);
      const matters =
        !group ||
        ports.some((port) => hasTcpIngressFor(group.IpPermissions, port)) ||
        classes.some((cls) => this.groupsNamedByEgress(cls.representative).has(groupId));
      if (matters) kept += `${groupId},`;
    }
    return `${destination.subnetId}|${destination.vpcId}|${addressKey}|${kept}`;
  }

  private everyClassJudgesAlike(classes: FrontendClass[], block: Cidr): boolean {
    let byBlock = this.blockAlikeForClasses.get(classes);
    if (!byBlock) {
      byBlock = new Map();
      this.blockAlikeForClasses.set(classes, byBlock);
    }
    let alike = byBlock.get(block);
    if (alike === undefined) {
      alike = classes.every((cls) => this.judgedAlike('source', cls.representative, block));
      byBlock.set(block, alike);
    }
    return alike;
  }

  /**
   * One class to one Redis server and port: a single flow when the Redis side judges the class's
   * subnet alike (the flow caches make that one lookup), else member by member, merged by result
   * and cached per Redis address class, since that is where the work is.
   */
  private analyseClass(cls: FrontendClass, destination: NetworkEndpoint, dstIp: IpAddress, dstBlock: Cidr | undefined, port: number): FlowGroupVerdict[] {
    const family = dstIp.family;
    if (!this.share) return this.membersToDestination(cls, destination, dstIp, port);
    const rep = cls.representative;
    const repIp = family === 4 ? rep.ipv4 : rep.ipv6;
    const block = repIp ? this.blockOf(rep, repIp) : undefined;
    if (block !== undefined && this.judgedAlike('destination', destination, block)) {
      return [{ frontends: cls.members, port, result: this.flow(rep, repIp!, cls, destination, dstIp, port) }];
    }
    // Every member shares the subnet and groups whose rules look at the Redis address, so the
    // Redis side reduces to one key per class; Redis servers with equal keys share the answer.
    const dstAlike = dstBlock !== undefined && this.judgedAlike('source', rep, dstBlock);
    const dstKey = [destination.subnetId ?? `?${destination.instanceId}`, destination.groupKey || `?${destination.instanceId}`, destination.vpcId, dstAlike ? 'net' : dstIp.text].join('|');
    const key = `${cls.id}>${dstKey}|${port}`;
    let verdicts = this.classCache.get(key);
    if (!verdicts) {
      verdicts = this.membersToDestination(cls, destination, dstIp, port);
      this.classCache.set(key, verdicts);
    }
    return verdicts;
  }

  /** Each member of a class to one Redis server and port, members failing alike merged. */
  private membersToDestination(cls: FrontendClass, destination: NetworkEndpoint, dstIp: IpAddress, port: number): FlowGroupVerdict[] {
    const family = dstIp.family;
    // Members merge when they fail at the same hop with the same fix (their sentences differ only
    // by the address named); the first member's result then stands as the example.
    const merged = new Map<string, { result: ReachabilityResult; members: Server[]; alike: boolean }>();
    for (const member of cls.members) {
      const endpoint = this.endpointOf(member);
      const ip = family === 4 ? endpoint.ipv4 : endpoint.ipv6;
      const result = ip ? this.flow(endpoint, ip, cls, destination, dstIp, port) : MISSING_FAMILY[family];
      const key = `${result.verdict}|${result.hop ?? ''}|${result.fix ?? ''}`;
      const entry = merged.get(key);
      if (!entry) merged.set(key, { result, members: [member], alike: true });
      else {
        entry.members.push(member);
        if (entry.result !== result && entry.result.detail !== result.detail) entry.alike = false;
      }
    }
    return [...merged.values()].map(({ result, members, alike }) => ({ frontends: members, port, result, ...(alike ? {} : { example: true }) }));
  }

  private flow(source: NetworkEndpoint, srcIp: IpAddress, cls: FrontendClass, destination: NetworkEndpoint, dstIp: IpAddress, port: number): ReachabilityResult {
    const srcBlock = this.blockOf(source, srcIp);
    const dstBlock = this.blockOf(destination, dstIp);
    const srcAlike = srcBlock !== undefined && this.judgedAlike('destination', destination, srcBlock);
    const dstAlike = dstBlock !== undefined && this.judgedAlike('source', source, dstBlock);
    const flowKey = (destinationGroups: string): string =>
      [
        port,
        srcIp.family,
        source.subnetId ?? `?${source.instanceId}`,
        source.groupKey || `?${source.instanceId}`,
        source.vpcId,
        `${cls.ephemeral.from}-${cls.ephemeral.to}`,
        srcAlike ? 'net' : srcIp.text,
        destination.subnetId ?? `?${destination.instanceId}`,
        destinationGroups,
        destination.vpcId,
        dstAlike ? 'net' : dstIp.text,
      ].join('|');
    if (!this.share) {
      this.evaluations++;
      return evaluateFlow(this.target, {
        source: { ...this.flowEnd(source, srcIp, srcAlike ? srcBlock : undefined), ephemeral: cls.ephemeral },
        destination: this.flowEnd(destination, dstIp, dstAlike ? dstBlock : undefined),
        port,
      }, this.groupLookup);
    }
    const reachableKey = destination.groupKey === '' ? undefined : flowKey(`~${this.groupsThatMatter(destination, source, port)}`);
    const reachable = reachableKey === undefined ? undefined : this.reachableFlows.get(reachableKey);
    if (reachable) return reachable;
    const key = flowKey(destination.groupKey || `?${destination.instanceId}`);
    let result = this.flowCache.get(key);
    if (!result) {
      this.evaluations++;
      result = evaluateFlow(this.target, {
        source: { ...this.flowEnd(source, srcIp, srcAlike ? srcBlock : undefined), ephemeral: cls.ephemeral },
        destination: this.flowEnd(destination, dstIp, dstAlike ? dstBlock : undefined),
        port,
      }, this.groupLookup);
      this.flowCache.set(key, result);
    }
    if (reachableKey !== undefined && result.verdict === 'reachable') this.reachableFlows.set(reachableKey, result);
    return result;
  }

  /**
   * The destination's groups that can change a *reachable* flow's result, in their order on the
   * interface: a group with an inbound rule for TCP `port` (the others are skipped by the ingress
   * evaluation), one the source's outbound rules name (the egress evaluation matches the peer's
   * groups only against those), and any group missing from the snapshot. When the flow is
   * reachable, every hop allowed it and the groups left out took no part in any hop's sentence,
   * so destinations that differ only in such groups (e.g. one cluster-bus group per production
   * cluster) get the identical result. Flows that are not reachable name all the groups and are
   * never shared this way.
   */
  private groupsThatMatter(destination: NetworkEndpoint, source: NetworkEndpoint, port: number): string {
    const named = this.groupsNamedByEgress(source);
    let kept = '';
    for (const groupId of destination.groupIds) {
      const group = this.groupOf(groupId);
      if (!group || named.has(groupId) || hasTcpIngressFor(group.IpPermissions, port)) kept += `${groupId},`;
    }
    return kept;
  }

  /** The group ids that the outbound rules of `source`'s groups name. */
  private groupsNamedByEgress(source: NetworkEndpoint): ReadonlySet<string> {
    const known = this.egressNamedGroups.get(source.groupKey);
    if (known) return known;
    const named = new Set<string>();
    for (const groupId of source.groupIds) {
      for (const permission of this.groupOf(groupId)?.IpPermissionsEgress ?? []) {
        for (const pair of permission.UserIdGroupPairs ?? []) if (pair.GroupId) named.add(pair.GroupId);
      }
    }
    this.egressNamedGroups.set(source.groupKey, named);
    return named;
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
    const key = `${side}|${this.sideKeyOf(endpoint)}|${block.text}`;
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
    const key = `${side}|${this.sideKeyOf(endpoint)}`;
    let cidrs = this.sideCidrs.get(key);
    if (cidrs) return cidrs;
    const texts: Array<string | undefined> = [];
    for (const groupId of endpoint.groupIds) {
      const group = this.groupOf(groupId);
      const permissions = side === 'source' ? group?.IpPermissionsEgress : group?.IpPermissions;
      for (const permission of permissions ?? []) {
        for (const range of permission.IpRanges ?? []) texts.push(range.CidrIp);
        for (const range of permission.Ipv6Ranges ?? []) texts.push(range.CidrIpv6);
        // Prefix-list entries decide like CIDR ranges (security-group-evaluation.ts).
        for (const list of permission.PrefixListIds ?? []) texts.push(...(list.PrefixListId ? (this.target.prefixLists.get(list.PrefixListId) ?? []) : []));
      }
    }
    if (endpoint.subnetId) {
      for (const entry of this.target.networkAclForSubnet(endpoint.subnetId)?.Entries ?? []) texts.push(entry.CidrBlock, entry.Ipv6CidrBlock);
    }
    cidrs = parseBlocks(texts);
    const table = endpoint.subnetId ? this.target.routeTableForSubnet(endpoint.subnetId) : undefined;
    if (table) cidrs.push(...routeDestinations(table, this.target.prefixLists));
    this.sideCidrs.set(key, cidrs);
    return cidrs;
  }

  /** A front-end's platform (a canonical member's is its real instance's: see canonicalMembers). */
  private platformOf(server: Server): ClientPlatform {
    const instanceId = this.standInOf(server) ? server.instance.InstanceId : server.instanceId;
    return clientPlatform(server.instance, this.target.ssmInformation.get(instanceId));
  }

  /**
   * The subnet and group contents of an endpoint: what the CIDRs of its side's rules depend on
   * (cidrsOfSide reads the groups' rules, never their ids), so endpoints of equal side keys judge
   * every block alike. A group only its own rules name stands as its content, any other as its id.
   */
  private sideKeyOf(endpoint: NetworkEndpoint): string {
    let key = this.sideKeys.get(endpoint);
    if (key !== undefined) return key;
    const idKey = `${endpoint.subnetId ?? `?${endpoint.instanceId}`}|${endpoint.groupKey}`;
    // Caches off (EstateTarget.shareVerdicts): keyed by the group ids, as before groups were compared by their rules.
    if (!this.share) return idKey;
    key = this.sideKeysById.get(idKey);
    if (key === undefined) {
      const parts: Array<string | number> = [endpoint.subnetId ?? `?${endpoint.instanceId}`];
      for (const groupId of [...endpoint.groupIds].sort()) parts.push(this.groupFormOf(groupId)?.contentId ?? groupId);
      key = JSON.stringify(parts);
      this.sideKeysById.set(idKey, key);
    }
    // Remembered on the endpoint object only when the endpoint is kept (a WeakMap entry per passing endpoint costs more than it saves).
    if (this.endpoints.get(endpoint.instanceId) === endpoint) this.sideKeys.set(endpoint, key);
    return key;
  }

  /**
   * The form of a group that no other group's rules name, when it is in the snapshot (else null).
   * Such a group enters a flow's verdict only through its own rules (where a rule naming it
   * matches a peer that carries it too), its id and its name, so two such groups with equal
   * rules, read with "itself" for their own id, allow exactly the same flows.
   */
  private groupFormOf(groupId: string): GroupForm | null {
    let form = this.groupForms.get(groupId);
    if (form !== undefined) return form;
    form = null;
    const group = this.groupOf(groupId);
    if (group && group.GroupId === groupId && !groupId.includes('\u0000') && !(group.GroupName ?? '').includes('\u0000') && !this.groupsNamedByOthers().has(groupId)) {
      const nameKind = !group.GroupName ? 'none' : group.GroupName === groupId ? 'id' : 'own';
      // Every field of the rules, with the group's own id as "itself" (in JSON text a GroupId
      // property holding exactly this id can only be written this way; string values escape quotes).
      const content = JSON.stringify([nameKind, group.IpPermissions ?? [], group.IpPermissionsEgress ?? []]).replaceAll(`"GroupId":${JSON.stringify(groupId)}`, '"GroupId":"\u0000itself"');
      let contentId = this.groupContents.get(content);
      if (contentId === undefined) this.groupContents.set(content, (contentId = this.groupContents.size));
      form = { contentId, group };
    }
    this.groupForms.set(groupId, form);
    return form;
  }

  private groupsNamedByOthers(): ReadonlySet<string> {
    if (this.namedByOtherGroups) return this.namedByOtherGroups;
    const named = new Set<string>();
    for (const group of this.target.securityGroups.values()) {
      for (const permission of [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])]) {
        for (const pair of permission.UserIdGroupPairs ?? []) if (pair.GroupId && pair.GroupId !== group.GroupId) named.add(pair.GroupId);
      }
    }
    return (this.namedByOtherGroups = named);
  }

  /**
   * The shape of `members` as sources and destinations of each other (a cluster analysing its own
   * members): per member its subnet, VPC, platform, address blocks and groups, where a group only
   * its own rules name is written as its content and a number (the first such group met is 0), so
   * clusters that each carry their own group (a cluster-bus group per cluster) get equal shapes.
   * Undefined when the members' addresses could enter a verdict's words (a member without a
   * subnet, group or IPv4 address, an address outside its subnet's block, or a rule of either side
   * that cuts through a member's block): then only equal addresses would give equal analyses.
   * An analysis reads a member only through these (the flow key of `flow` and the class key of
   * `classesOf` hold nothing else), so equal shapes give equal analyses once the numbered
   * groups' ids and names and the members' ids are put back (see canonicalMembers).
   */
  membersShapeOf(members: readonly Server[]): MembersShape | undefined {
    if (!this.share) return undefined;
    // Built as one string (JSON-quoted ids, '#' before a numbered group), with small arrays: this
    // runs once per cluster, and most clusters find their shape already met.
    const groups: SecurityGroup[] = [];
    const sides: NetworkEndpoint[] = [];
    const blocks: Cidr[] = [];
    let key = '';
    for (const member of members) {
      // Not kept: most clusters' shapes are met already, and then their members are never analysed.
      const endpoint = this.destinationEndpoint(member);
      if (endpoint.subnetId === undefined || endpoint.groupIds.size === 0 || !endpoint.ipv4) return undefined;
      const block = this.blockOf(endpoint, endpoint.ipv4);
      if (!block) return undefined;
      if (!blocks.includes(block)) blocks.push(block);
      if (!sides.some((e) => e.subnetId === endpoint.subnetId && e.groupKey === endpoint.groupKey)) sides.push(endpoint);
      const v6 = endpoint.ipv6 ? (this.blockOf(endpoint, endpoint.ipv6)?.text ?? `out:${endpoint.ipv6.text}`) : '';
      key += `[${JSON.stringify(endpoint.subnetId)}${JSON.stringify(endpoint.vpcId ?? '')}${this.platformOf(member)}|${block.text}|${v6}|`;
      for (const groupId of endpoint.groupIds) {
        const form = this.groupFormOf(groupId);
        if (!form) {
          key += JSON.stringify(groupId);
          continue;
        }
        let ordinal = groups.indexOf(form.group);
        if (ordinal < 0) ordinal = groups.push(form.group) - 1;
        key += `#${ordinal}:${form.contentId}`;
      }
    }
    for (const endpoint of sides) {
      for (const block of blocks) if (!this.judgedAlike('source', endpoint, block) || !this.judgedAlike('destination', endpoint, block)) return undefined;
    }
    return { key, groups };
  }

  /**
   * Stand-ins for `members` of `shape`: each has the placeholder id NUL M<index>:<shape> NUL, and
   * each numbered group is replaced by a canonical group (id NUL G<n>:<content> NUL, name
   * NUL N<n>:<content> NUL when it has a name of its own, its rules naming itself by that id). An
   * analysis of the stand-ins is the analysis of any members of the shape with these placeholders
   * for their ids and names, which the caller puts back. The stand-ins' endpoints are kept by the
   * stand-in objects, so no real server's id can ever resolve to one.
   */
  canonicalMembers(members: readonly Server[], shape: MembersShape): StandIns {
    let shapeId = this.shapeIds.get(shape.key);
    if (shapeId === undefined) this.shapeIds.set(shape.key, (shapeId = this.shapeIds.size));
    const placeholders = new Map<string, string>();
    const groups = shape.groups.map((group, ordinal) => {
      const form = this.groupFormOf(group.GroupId)!;
      const id = `\u0000G${ordinal}:${form.contentId}\u0000`;
      placeholders.set(group.GroupId, id);
      const known = this.canonicalGroups.get(id);
      if (known) return known;
      const itself = (key: string, value: unknown) => (key === 'GroupId' && value === group.GroupId ? id : value);
      const copy = (permissions: IpPermission[] | undefined): IpPermission[] | undefined => (permissions === undefined ? undefined : (JSON.parse(JSON.stringify(permissions, itself)) as IpPermission[]));
      const name = !group.GroupName ? group.GroupName : group.GroupName === group.GroupId ? id : `\u0000N${ordinal}:${form.contentId}\u0000`;
      const canonical: SecurityGroup = { ...group, GroupId: id, GroupName: name, IpPermissions: copy(group.IpPermissions), IpPermissionsEgress: copy(group.IpPermissionsEgress) };
      this.canonicalGroups.set(id, canonical);
      return canonical;
    });
    const servers = members.map((member, index) => {
      const instanceId = `\u0000M${index}:${shapeId}\u0000`;
      const real = this.endpointOf(member);
      const groupIds = new Set([...real.groupIds].map((groupId) => placeholders.get(groupId) ?? groupId));
      const standIn: Server = { ...member, instanceId };
      this.standIns.set(standIn, { ...real, instanceId, groupIds, groupKey: [...groupIds].join(',') });
      this.standInCount++;
      return standIn;
    });
    return { servers, groups };
  }

  private classesOf(frontends: readonly Server[]): FrontendClass[] {
    let classes = this.classesByList.get(frontends);
    if (classes) return classes;
    const byKey = new Map<string, FrontendClass>();
    for (const frontend of frontends) {
      const endpoint = this.endpointOf(frontend);
      const platform = this.platformOf(frontend);
      const addressKind = (ip: IpAddress | undefined) => (!ip ? 'none' : (this.blockOf(endpoint, ip)?.text ?? `out:${ip.text}`));
      const key = [endpoint.subnetId ?? `?${endpoint.instanceId}`, endpoint.groupKey, endpoint.vpcId, platform, addressKind(endpoint.ipv4), addressKind(endpoint.ipv6)].join('|');
      const existing = byKey.get(key);
      if (existing) existing.members.push(frontend);
      else byKey.set(key, { id: this.classCount++, key, members: [frontend], representative: endpoint, platform, ephemeral: ephemeralPorts(platform) });
    }
    classes = [...byKey.values()];
    this.classesByList.set(frontends, classes);
    return classes;
  }
}

/** Whether some rule of `permissions` opens TCP `port` (exactly the rules an ingress evaluation of `port` looks at). */
function hasTcpIngressFor(permissions: readonly IpPermission[] | undefined, port: number): boolean {
  for (const permission of permissions ?? []) {
    if (coversTcp(permission.IpProtocol) && rangesIntersect(tcpPortsOf(permission.IpProtocol, permission.FromPort, permission.ToPort), singlePort(port))) return true;
  }
  return false;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

const MISSING_FAMILY: Record<IpFamily, ReachabilityResult> = { 4: missingFamily(4), 6: missingFamily(6) };

/** The verdict for front-ends without an address of the family the Redis server is reached over (shared, so they group). */
function missingFamily(family: IpFamily): ReachabilityResult {
  const detail =
    family === 6
      ? 'The Redis server has only an IPv6 address, and the front-end has no IPv6 address.'
      : 'The front-end has no private IPv4 address, and the Redis server is reached over IPv4.';
  const fix = `Give the front-end an IPv${family} address in its subnet (or the Redis server an address of the front-end's family).`;
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
