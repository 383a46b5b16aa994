/**
 * The sentences of the vendor's page "System requirements for using Redis" (OutSystems 11,
 * self-managed) that this product enforces, verbatim. Every finding quotes one of these.
 */
export const REQUIREMENT = {
  platformServer: 'Using Redis for in-memory session storage requires Platform Server version 11.23.',
  redisVersion: 'Each server machine used for Redis must fulfill the following requirements: Redis Server stable version 7.0.X',
  nonProdServer: 'Single Redis server with 2 CPUs (>2.6 Ghz) and 4GB of RAM (can be Virtual Machine)',
  nonProdNetwork: 'Moderate bandwith network interface card (100 Mbps)',
  disk: '10GB disk or more according to setup (to store the operating system, logs, etc.)',
  prodServers: '3 dedicated or virtualized Redis servers with 3 or 4 vCPUs each (>2.6 Ghz) and 8GB of RAM, configured as a Redis Cluster (with high availability)',
  prodNetwork: 'High-bandwith network interface card (1Gbps recommended)',
  prodRedisCluster: 'OutSystems recommends that you use Redis Cluster instead of the Sentinel alternative, since it supports multiple Active-Active nodes and can scale horizontally.',
  prodHighAvailability: 'For Production environments, you should use a high-availability configuration of Redis Server.',
  ports: 'When using this architecture, ports 7000 and 7001 of the Redis servers must be reachable from the OutSystems front-end servers.',
  ownSubnet: 'For security reasons, the Redis Cluster should be on its own subnet, avoiding public exposure.',
  /** Footnote 1 of the production hardware list (on "8GB of RAM"). */
  memoryFootnote: "You may need more RAM if your configured session expiration time allows for long sessions. Since there are 2 Redis processes per server (Master and Replica), with 8GB of RAM there's only 4GB available for session storage.",
  /** Footnote 2 of the production hardware list (on "1Gbps recommended"). */
  bandwidthFootnote: 'Assumes a 20kb session and 10 000 reqs/s, which gives a bandwith of around 390MB/s (20×10000×2(read and write)/1024).',
} as const;

export type RequirementKey = keyof typeof REQUIREMENT;
