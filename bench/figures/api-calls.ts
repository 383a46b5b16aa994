/**
 * Figure 1: a live capture through the real collectors (captureEstate) against the tests'
 * in-process fake AWS (wire formats, AWS page sizes and request limits; no socket). The counts are
 * the collectors' own API-call counter (SDK middleware, one per attempt), checked against the
 * requests the fake received.
 */
import { captureEstate } from '../../lambdas/adapters/collectors/capture-estate';
import { REGION } from '../../test/support/estate-builder';
import { apiCallLowerBound } from '../../test/support/aws-fakes/api-call-lower-bound';
import { FakeAws } from '../../test/support/aws-fakes/fake-aws';
import { errorMessage, formatCount, formatMs, notMeasured, sizeLabel, verdict, type BenchOptions, type Figure, type FigureRow } from '../figure';
import { issueLowerBound } from '../issue-lower-bound';
import { syntheticEstate } from '../synthetic-estate';
import { continuationRows } from './continuation';
import { withFakeCredentials } from './fake-credentials';
import { throttledCaptureRows } from './throttled-capture';

const RATIO_TARGET = 1.1;

export interface CaptureMeasurement {
  redisServers: number;
  instances: number;
  calls: Record<string, number>;
  total: number;
  lowerBound: ReturnType<typeof issueLowerBound>;
  testLowerBound: number;
  captureMs: number;
}

export async function measureCapture(redisServers: number): Promise<CaptureMeasurement> {
  const estate = syntheticEstate(redisServers);
  const fake = new FakeAws().add(estate.target);
  const started = performance.now();
  const snapshot = await withFakeCredentials(() => captureEstate({ regions: [REGION], requestHandler: fake.requestHandler, concurrency: 1 }));
  const captureMs = performance.now() - started;
  const captured = snapshot.targets[0]!;
  if (captured.errors.length > 0) throw new Error(`capture reported errors: ${captured.errors.map((e) => `${e.service}:${e.operation} ${e.code}`).join(', ')}`);
  const calls = Object.fromEntries(Object.entries(captured.apiCalls ?? {}).filter(([k]) => !k.startsWith('sts:')));
  const received = Object.fromEntries(Object.entries(fake.counts()).filter(([k]) => !k.startsWith('sts:')));
  if (JSON.stringify(calls) !== JSON.stringify(received)) throw new Error(`counter ${JSON.stringify(calls)} disagrees with the requests the fake received ${JSON.stringify(received)}`);
  const capturedInstances = captured.ec2.Reservations.reduce((n, r) => n + (r.Instances?.length ?? 0), 0);
  if (capturedInstances !== estate.instances) throw new Error(`captured ${capturedInstances} of ${estate.instances} instances`);
  return {
    redisServers,
    instances: estate.instances,
    calls,
    total: Object.values(calls).reduce((s, n) => s + n, 0),
    lowerBound: issueLowerBound(estate.target),
    testLowerBound: apiCallLowerBound(estate.target),
    captureMs,
  };
}

function callRow(options: BenchOptions, m: CaptureMeasurement): FigureRow {
  const ratio = m.total / m.lowerBound.total;
  const over = Object.entries(m.calls)
    .filter(([op, n]) => n > (m.lowerBound.byOperation[op] ?? 0))
    .map(([op, n]) => `${op.split(':')[1]} ${n} vs ${m.lowerBound.byOperation[op] ?? 0}`);
  // The batched formula (GetInventory for both inventory types, which AWS refuses).
  const batchedFormula = m.lowerBound.total - (m.lowerBound.byOperation['ssm:ListInventoryEntries'] ?? 0) + m.lowerBound.batchedInventoryCalls;
  return {
    figure: `1. API calls, live capture of ${sizeLabel(m.redisServers)} Redis + ${m.instances - m.redisServers} front-ends`,
    measured: `${formatCount(m.total)} calls = ${ratio.toFixed(3)} x lower bound ${formatCount(m.lowerBound.total)} (ListInventoryEntries ${formatCount(m.calls['ssm:ListInventoryEntries'] ?? 0)} vs ${formatCount(m.lowerBound.byOperation['ssm:ListInventoryEntries'] ?? 0)})${over.length ? ` (over: ${over.join('; ')})` : ''}; a batched-GetInventory formula would give ${formatCount(batchedFormula)}, a read AWS does not offer`,
    target: `ratio <= ${RATIO_TARGET.toFixed(2)}`,
    met: verdict(options, ratio <= RATIO_TARGET),
    data: { ...m, ratio, batchedFormula, testBudget: m.testLowerBound * 1.1 + 5 },
  };
}

async function measureAll(options: BenchOptions, sizes: readonly number[]): Promise<Map<number, CaptureMeasurement | Error>> {
  const out = new Map<number, CaptureMeasurement | Error>();
  for (const size of sizes) {
    try {
      out.set(size, await measureCapture(size));
    } catch (error) {
      out.set(size, error instanceof Error ? error : new Error(String(error)));
    }
  }
  void options;
  return out;
}

export const apiCallsFigure: Figure = {
  id: '1',
  name: 'api-calls',
  async run(options) {
    const sizes = options.smoke ? [50, 200] : [1000, 10000];
    const results = await measureAll(options, sizes);
    return sizes.map((size) => {
      const m = results.get(size)!;
      if (m instanceof Error) return notMeasured(`1. API calls, live capture of ${sizeLabel(size)} Redis servers`, `ratio <= ${RATIO_TARGET.toFixed(2)}`, errorMessage(m));
      const row = callRow(options, m);
      row.measured += ` [capture ${formatMs(m.captureMs)}]`;
      return row;
    }).concat(await throttledCaptureRows(options));
  },
};

export const continuationFigure: Figure = {
  id: '2',
  name: 'continuation',
  run: (options) => continuationRows(options),
};
