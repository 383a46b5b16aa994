import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixedClock } from '../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../lambdas/adapters/store/in-memory-findings-store';
import { SlackNotifier } from '../../lambdas/adapters/notifiers/slack-notifier';
import { StaticSecretProvider } from '../../lambdas/adapters/notifiers/secret-provider';
import { ConfigSchema } from '../../lambdas/core/config';
import type { ReportSummaryModel } from '../../lambdas/core/report/report-model';
import { handler, reportDependencies, reportScanId, runReport, ReportDeliveryError, ReportRequestError, type ReportDependencies } from '../../lambdas/handlers/report';
import { runScan, type ScanDependencies } from '../../lambdas/handlers/scan';
import { CollectingPublisher } from '../../lambdas/handlers/wiring/event-publisher';
import type { ReportNotifier } from '../../lambdas/handlers/wiring/notifiers';
import { fixedSnapshotSource } from '../../lambdas/handlers/wiring/snapshot-source';
import { ReportUnavailableError } from '../../lambdas/handlers/wiring/load-report-model';
import { compliantEstate, REDIS_IDS } from '../support/estate-builder';
import { INSTANCE_TYPES } from '../support/instance-types';
import { captureLogs, lambdaContext, scanCompletedEvent } from '../support/lambda-events';

const HOSTILE_NAME = '<!channel> <script>alert(1)</script>';

function undersized() {
  return compliantEstate()
    .mutate((t) => {
      const instance = t.ec2.Reservations[0]!.Instances![0]!;
      instance.InstanceType = 'm5.large';
      instance.Tags = instance.Tags!.map((tag) => (tag.Key === 'Name' ? { Key: 'Name', Value: HOSTILE_NAME } : tag));
      t.ec2.InstanceTypes.push(INSTANCE_TYPES['m5.large']);
    })
    .snapshot();
}

class RecordingNotifier implements ReportNotifier {
  readonly models: ReportSummaryModel[] = [];
  constructor(readonly channel: string) {}
  async notify(model: ReportSummaryModel) {
    this.models.push(model);
  }
}

/** Two scans in a store: scan-1 on the undersized estate, scan-2 after the fix. */
async function storeWithTwoScans(): Promise<InMemoryFindingsStore> {
  const store = new InMemoryFindingsStore();
  let t = Date.parse('2030-01-01T02:00:00Z');
  const base: Omit<ScanDependencies, 'snapshots'> = { store, publisher: new CollectingPublisher(), clock: { now: () => new Date((t += 1000)) }, config: ConfigSchema.parse({}) };
  await runScan({ scanId: 'scan-1', trigger: 'scheduled' }, { ...base, snapshots: fixedSnapshotSource(undersized()) });
  t = Date.parse('2030-01-02T02:00:00Z');
  await runScan({ scanId: 'scan-2', trigger: 'scheduled' }, { ...base, snapshots: fixedSnapshotSource(compliantEstate().snapshot()) });
  return store;
}

function deps(store: InMemoryFindingsStore, notifiers: ReportNotifier[]): ReportDependencies {
  return { store, notifiers, clock: fixedClock('2030-01-02T03:00:00Z'), configSuppressions: [] };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  reportDependencies.reset();
});

describe('report handler', () => {
  it('reports a Scan Completed event: the scan, what changed since the previous one, and the trend', async () => {
    const store = await storeWithTwoScans();
    const slack = new RecordingNotifier('slack');
    const email = new RecordingNotifier('email');
    reportDependencies.set(deps(store, [slack, email]));
    const outcome = await handler(scanCompletedEvent('scan-2'), lambdaContext('report-fn'));
    expect(outcome).toEqual({ scanId: 'scan-2', scanStatus: 'COMPLETE', delivered: ['slack', 'email'], alreadyDelivered: [], failed: [] });
    const model = slack.models[0]!;
    expect(email.models[0]).toBe(model);
    expect(model.scan.scanId).toBe('scan-2');
    expect(model.changes).toMatchObject({ compared: true, previousScanId: 'scan-1', new: [] });
    expect(model.changes.resolved.map((f) => `${f.resourceId}:${f.ruleId}`).sort()).toEqual([`${REDIS_IDS[0]}:instance.network-bandwidth`, `${REDIS_IDS[0]}:instance.vcpu`]);
    expect(model.trend.map((p) => p.scanId)).toEqual(['scan-1', 'scan-2']);
    expect(model.total).toBe((await store.allFindings('scan-2')).length);
  });

  it('reports any scan id on a direct invocation; the first scan has nothing to compare with', async () => {
    const store = await storeWithTwoScans();
    const slack = new RecordingNotifier('slack');
    reportDependencies.set(deps(store, [slack]));
    await handler({ scanId: 'scan-1' }, lambdaContext());
    expect(slack.models[0]!.changes).toMatchObject({ compared: false, new: [], resolved: [] });
    expect(slack.models[0]!.attention.length).toBeGreaterThan(0);
    expect(slack.models[0]!.trend.map((p) => p.scanId)).toEqual(['scan-1']);
  });

  it('tries every destination and then fails, naming the ones that failed', async () => {
    const store = await storeWithTwoScans();
    const email = new RecordingNotifier('email');
    const broken: ReportNotifier = { channel: 'slack', notify: async () => Promise.reject(new Error('Slack webhook answered HTTP 404: no_team')) };
    reportDependencies.set(deps(store, [broken, email]));
    await expect(handler({ scanId: 'scan-2' }, lambdaContext())).rejects.toThrow(new ReportDeliveryError('report of scan-2 not delivered to slack (Slack webhook answered HTTP 404: no_team)'));
    expect(email.models).toHaveLength(1);
  });

  it('posts through the real Slack notifier to a webhook on 127.0.0.1, hostile tag values inert', async () => {
    const received: string[] = [];
    const server: Server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXXXXXXXXXX`;
      const slack = new SlackNotifier({ secrets: new StaticSecretProvider({ webhook: url }), webhookSecretId: 'webhook' });
      const store = await storeWithTwoScans();
      const { outcome } = await runReport('scan-1', { ...deps(store, []), notifiers: [{ channel: 'slack', notify: (m) => slack.notify(m) }] });
      expect(outcome.delivered).toEqual(['slack']);
      expect(received).toHaveLength(1);
      const message = JSON.parse(received[0]!) as { blocks: unknown[] };
      expect(message.blocks.length).toBeGreaterThan(0);
      expect(received[0]).not.toContain('<!channel>');
      expect(received[0]).not.toContain('<script>');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(JSON.stringify(logs.lines())).not.toContain('XXXXXXXXXXXX');
  });

  it('refuses unknown and unfinished scans', async () => {
    const store = await storeWithTwoScans();
    await store.putScan({ ...(await store.getScan('scan-2'))!, scanId: 'scan-3', status: 'RUNNING', startedAt: '2030-01-03T02:00:00.000Z' });
    reportDependencies.set(deps(store, []));
    await expect(handler({ scanId: 'scan-404' }, lambdaContext())).rejects.toBeInstanceOf(ReportUnavailableError);
    await expect(handler({ scanId: 'scan-3' }, lambdaContext())).rejects.toThrow('scan scan-3 has not finished');
  });
});

describe('reportScanId', () => {
  it.each([
    [scanCompletedEvent('scan-9'), 'scan-9'],
    [{ scanId: 'scan-9' }, 'scan-9'],
  ])('reads %j', (event, scanId) => {
    expect(reportScanId(event)).toBe(scanId);
  });

  it.each([
    ['another source', { ...scanCompletedEvent('scan-9'), source: 'aws.events' }],
    ['another detail-type', { ...scanCompletedEvent('scan-9'), 'detail-type': 'Scheduled Event' }],
    ['no scan id in detail', { ...scanCompletedEvent('scan-9'), detail: {} }],
    ['an invalid scan id', { scanId: 'a/b' }],
    ['extra fields', { scanId: 'scan-9', format: 'html' }],
    ['nothing', undefined],
  ])('rejects %s', (_label, event) => {
    expect(() => reportScanId(event)).toThrow(ReportRequestError);
  });
});
