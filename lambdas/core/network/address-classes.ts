/**
 * When do two addresses get the same answer from a rule set? When every CIDR in the rules either
 * holds both or neither. So if no CIDR of a rule set cuts through a subnet's block (each one holds
 * the whole block or none of it), every address of the subnet is judged alike, and one evaluation
 * stands for all of them. Rules that cut through (e.g. a /32 for one host) force per-address work.
 */
import { cidrContainsCidr, parseCidrCached, type Cidr, type IpAddress, type IpFamily } from './cidr';
import type { Subnet } from '../snapshot/schema';

/** True when no block of `cidrs` splits `block`. */
export function judgedAlikeOver(cidrs: readonly Cidr[], block: Cidr): boolean {
  for (const cidr of cidrs) {
    if (cidr.family === block.family && cidr.prefix > block.prefix && cidrContainsCidr(block, cidr)) return false;
  }
  return true;
}

/** The block of `subnet` (IPv4 CidrBlock, or an associated IPv6 block) that holds `ip`, if any. */
export function subnetBlockHolding(subnet: Subnet | undefined, ip: IpAddress): Cidr | undefined {
  if (!subnet) return undefined;
  const texts: Array<string | undefined> = ip.family === 4 ? [subnet.CidrBlock] : (subnet.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock);
  for (const text of texts) {
    if (!text) continue;
    const block = parseCidrCached(text);
    if (block && block.family === ip.family && (ip.value & block.mask) === block.network) return block;
  }
  return undefined;
}

/** Parses the CIDR texts of a rule set, dropping unreadable ones and those of the other family. */
export function parseBlocks(texts: Iterable<string | undefined>, family?: IpFamily): Cidr[] {
  const out: Cidr[] = [];
  for (const text of texts) {
    if (!text) continue;
    const cidr = parseCidrCached(text);
    if (cidr && (family === undefined || cidr.family === family)) out.push(cidr);
  }
  return out;
}
