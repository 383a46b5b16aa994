import type { Command } from 'commander';

/** Flags that override the tag conventions of the config file. */
export function addTagOptions(command: Command): Command {
  return command
    .option('--role-tag <key>', 'tag key naming a server role (default Role)')
    .option('--redis-role <value>', 'role value of Redis servers and subnets (default redis)')
    .option('--frontend-role <value>', 'role value of OutSystems front-ends (default outsystems-frontend)')
    .option('--environment-tag <key>', 'tag key of the environment (default Environment)')
    .option('--production-values <list>', 'comma-separated environment values meaning production (default production,prod,prd,live)')
    .option('--cluster-tag <key>', 'tag key grouping Redis servers into a cluster (default RedisCluster)')
    .option('--cluster-mode-tag <key>', 'tag key stating cluster|sentinel|standalone (default RedisMode)');
}
