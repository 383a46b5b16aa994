/**
 * The compliant estate made compliant with the high-availability and capacity rules too:
 * its three Redis servers spread over three Availability Zones (one Redis subnet each), the Redis
 * probe's rows of the documented layout (each server a master and another server's replica, memory
 * limits within RAM / 2), and two quiet CloudWatch periods per server. Every rule passes on it.
 */
import { HEALTHY_LAYOUT, withClusterProbe } from './cluster-probe-rows';
import { REDIS_IDS, compliantEstate, type EstateBuilder } from './estate-builder';
import { bytesPerPeriod, withNetworkMetrics } from './network-metrics';
import { ZONE_SUBNETS, acrossZones } from './zone-spread';

export const CAPTURED_AT = new Date('2026-11-25T02:00:00.000Z');
const GIB = 1024 ** 3;

/** The Redis servers' addresses once spread over the zones (acrossZones). */
export const ZONED_REDIS_IPS = REDIS_IDS.map((_, i) => `${ZONE_SUBNETS[i]!.cidr.split('.').slice(0, 3).join('.')}.${11 + i}`);

export function highlyAvailableEstate(base: EstateBuilder = compliantEstate()): EstateBuilder {
  const estate = acrossZones(base);
  withClusterProbe(estate, REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: ZONED_REDIS_IPS[i]!, totalSystemMemory: 16 * GIB })), HEALTHY_LAYOUT);
  const quiet = { inBytes: [bytesPerPeriod(200e6), bytesPerPeriod(150e6)], outBytes: [bytesPerPeriod(250e6), bytesPerPeriod(180e6)] };
  return withNetworkMetrics(estate, CAPTURED_AT, Object.fromEntries(REDIS_IDS.map((id) => [id, quiet])));
}
