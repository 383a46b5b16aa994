/** Jest global setup: starts a real DynamoDB API server (dynalite) on 127.0.0.1 for the store tests. */
import type { AddressInfo } from 'node:net';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => import('node:http').Server;

export default async function globalSetup(): Promise<void> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.env.DYNALITE_ENDPOINT = `http://127.0.0.1:${port}`;
  (globalThis as { __DYNALITE__?: unknown }).__DYNALITE__ = server;
}
