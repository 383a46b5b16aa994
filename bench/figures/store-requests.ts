/**
 * Figure 5: DynamoDB requests to store one scan of 10k findings, against dynalite started in this
 * process on 127.0.0.1. The findings are real evaluation output (the synthetic estate of 1,000 Redis
 * servers gives ~10k; exactly 10,000 are kept). Requests are counted on the store's client by SDK
 * middleware (the collectors' counter plugin: one count per attempt, retries included).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ApiCallCounter, apiCallCounterPlugin } from '../../lambdas/adapters/collectors/api-call-counter';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { DynamoDbFindingsStore } from '../../lambdas/adapters/store/dynamodb-findings-store';
import { createTableInput } from '../../lambdas/adapters/store/table-design';
import { DEFAULT_CONFIG } from '../../lambdas/core/config';
import { runScan } from '../../lambdas/handlers/scan';
import { logger } from '../../lambdas/handlers/wiring/logger';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { errorMessage, formatCount, formatMs, notMeasured, sizeLabel, verdict, type Figure } from '../figure';
import { syntheticSnapshot } from '../synthetic-estate';

const RATIO_TARGET = 1.05;

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export const storeRequestsFigure: Figure = {
  id: '5',
  name: 'store-requests',
  async run(options) {
    // ~10 findings per Redis server: 1,000 servers give a scan of ~10k findings.
    const redisServers = options.smoke ? 50 : 1000;
    const label = `5. DynamoDB requests to store a scan of ~${sizeLabel(redisServers * 10)} findings (dynalite)`;
    const target = `<= ${RATIO_TARGET.toFixed(2)} x ceil(items/25)`;
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    let client: DynamoDBClient | undefined;
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
      const tableName = 'redis-compliance-bench';
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      const counter = new ApiCallCounter();
      client.middlewareStack.use(apiCallCounterPlugin(counter, 'dynamodb'));
      const store = new DynamoDbFindingsStore(DynamoDBDocumentClient.from(client), { tableName, retentionDays: 90, clock: fixedClock('2026-11-25T02:06:00.000Z') });

      // The scan handler's own sequence (runScan): scan record, waivers, findings, finding states, final record.
      logger.setLogLevel('SILENT');
      const snapshot = syntheticSnapshot(redisServers);
      const started = performance.now();
      const outcome = await runScan({ trigger: 'cli', scanId: 'scan-2026-11-25T02-00-00Z', snapshot }, {
        store,
        snapshots: fixedSnapshotSource(snapshot),
        publisher: { scanCompleted: async () => undefined },
        clock: fixedClock('2026-11-25T02:06:00.000Z'),
        config: DEFAULT_CONFIG,
      });
      const ms = performance.now() - started;
      const calls = counter.toRecord();
      const requests = counter.total();
      const findings = Object.values(outcome.counts).reduce((s, n) => s + n, 0);
      const states = (await store.listFindingStates()).length;
      const items = findings + states + 2;
      const ideal = Math.ceil(items / 25);
      const ratio = requests / ideal;
      const findingRequests = (calls['dynamodb:BatchWriteItem'] ?? 0);
      return [
        {
          figure: `5. DynamoDB requests to store a scan of ${formatCount(findings)} findings (dynalite)`,
          measured: `${formatCount(requests)} requests = ${ratio.toFixed(3)} x ceil(${formatCount(items)} items/25) = ${formatCount(ideal)} (${Object.entries(calls).map(([k, v]) => `${k.split(':')[1]} ${v}`).join(', ')}; items = ${formatCount(findings)} findings + ${formatCount(states)} finding states + 2 scan records) [${formatMs(ms)}]`,
          target,
          met: verdict(options, ratio <= RATIO_TARGET),
          data: { requests, calls, findings, states, items, idealRequests: ideal, ratio, batchWrites: findingRequests, ms },
        },
      ];
    } catch (error) {
      return [notMeasured(label, target, errorMessage(error))];
    } finally {
      client?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};
