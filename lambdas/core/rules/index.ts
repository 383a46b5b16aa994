/** Every requirement rule, in report order. */
import type { RuleDefinition } from './rule';
import { instanceVcpuRule } from './instance-vcpu';
import { instanceClockSpeedRule } from './instance-clock-speed';
import { instanceMemoryRule } from './instance-memory';
import { instanceNetworkBandwidthRule } from './instance-network-bandwidth';
import { instanceDiskRule } from './instance-disk';

export const RULES: readonly RuleDefinition[] = [
  instanceVcpuRule,
  instanceClockSpeedRule,
  instanceMemoryRule,
  instanceNetworkBandwidthRule,
  instanceDiskRule,
];
