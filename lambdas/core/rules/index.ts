/** Every requirement rule, in report order. */
import type { RuleDefinition } from './rule';
import { instanceVcpuRule } from './instance-vcpu';
import { instanceClockSpeedRule } from './instance-clock-speed';
import { instanceMemoryRule } from './instance-memory';
import { instanceNetworkBandwidthRule } from './instance-network-bandwidth';
import { instanceDiskRule } from './instance-disk';
import { redisVersionRule } from './redis-version';
import { instanceSsmManagedRule } from './instance-ssm-managed';
import { clusterSizeRule } from './cluster-size';
import { clusterModeRule } from './cluster-mode';
import { frontendPlatformServerVersionRule } from './frontend-platform-server-version';
import { instancePublicAddressRule } from './instance-public-address';
import { subnetDedicatedRule } from './subnet-dedicated';
import { subnetPrivateRule } from './subnet-private';
import { securityGroupNoPublicIngressRule } from './security-group-no-public-ingress';
import { networkFrontendReachabilityRule } from './network-frontend-reachability';
import { clusterFailoverRule } from './cluster-failover';
import { clusterMembershipRule } from './cluster-membership';
import { clusterZoneSpreadRule } from './cluster-zone-spread';
import { networkClusterBusRule } from './network-cluster-bus';
import { capacityMemoryRule } from './capacity-memory';
import { capacityBandwidthRule } from './capacity-bandwidth';
import { redisAuthenticationRule } from './redis-authentication';
import { redisScriptingExposureRule } from './redis-scripting-exposure';
import { redisDangerousCommandsRule } from './redis-dangerous-commands';
import { redisKnownVulnerabilitiesRule } from './redis-known-vulnerabilities';

export const RULES: readonly RuleDefinition[] = [
  redisVersionRule,
  instanceVcpuRule,
  instanceClockSpeedRule,
  instanceMemoryRule,
  instanceNetworkBandwidthRule,
  instanceDiskRule,
  instancePublicAddressRule,
  instanceSsmManagedRule,
  subnetDedicatedRule,
  subnetPrivateRule,
  securityGroupNoPublicIngressRule,
  networkFrontendReachabilityRule,
  clusterSizeRule,
  clusterModeRule,
  clusterFailoverRule,
  clusterMembershipRule,
  clusterZoneSpreadRule,
  networkClusterBusRule,
  capacityMemoryRule,
  capacityBandwidthRule,
  frontendPlatformServerVersionRule,
  redisAuthenticationRule,
  redisScriptingExposureRule,
  redisDangerousCommandsRule,
  redisKnownVulnerabilitiesRule,
];
