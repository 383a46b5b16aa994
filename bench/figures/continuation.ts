/**
 * Figure 2 (replaces "SSM calls vs per-instance", whose 25x rested on a batched inventory read SSM
 * does not have): a capture handed off at its deadline. The capture of 1k Redis servers (+2%) is
 * stopped every 200 inventory reads, its continuation serialised to JSON (as the fan-out worker
 * stores it) and resumed, until done; judged against one uninterrupted capture of the same estate:
 * the same target (byte-identical JSON) and no API call made twice.
 */
import { createHash } from 'node:crypto';
import { captureTargetUntil, type TargetCaptureProgress } from '../../lambdas/adapters/collectors/capture-target';
import { NO_DEADLINE, type CaptureDeadline } from '../../lambdas/adapters/collectors/capture-deadline';
import type { TargetContinuation } from '../../lambdas/adapters/collectors/target-continuation';
import { DEFAULT_CONFIG } from '../../lambdas/core/config';
import { ACCOUNT, REGION } from '../../test/support/estate-builder';
import { FakeAws } from '../../test/support/aws-fakes/fake-aws';
import { errorMessage, formatCount, notMeasured, sizeLabel, verdict, type BenchOptions, type FigureRow } from '../figure';
import { syntheticEstate } from '../synthetic-estate';
import { withFakeCredentials } from './fake-credentials';

const READS_PER_INVOCATION = 200;

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
const total = (calls: Record<string, number> | undefined) => Object.values(calls ?? {}).reduce((s, n) => s + n, 0);

export async function continuationRows(options: BenchOptions): Promise<FigureRow[]> {
  const size = options.smoke ? 200 : 1000;
  const label = `2. deadline hand-off: capture of ${sizeLabel(size)} Redis (+2%) stopped every ${READS_PER_INVOCATION} inventory reads and continued, vs one uninterrupted capture`;
  const target = 'same target, 0 calls repeated';
  try {
    const estate = syntheticEstate(size);
    const spec = { accountId: ACCOUNT, region: REGION };
    const whole = await withFakeCredentials(() => captureTargetUntil(spec, { tags: DEFAULT_CONFIG.tags, requestHandler: new FakeAws().add(estate.target).requestHandler }, NO_DEADLINE));
    const fake = new FakeAws().add(estate.target);
    const options_ = { tags: DEFAULT_CONFIG.tags, requestHandler: fake.requestHandler };
    const deadline = (): CaptureDeadline => {
      const start = fake.calls.length;
      return { expired: () => fake.calls.slice(start).filter((c) => c.operation === 'ListInventoryEntries').length >= READS_PER_INVOCATION };
    };
    let invocations = 1;
    let progress: TargetCaptureProgress = await withFakeCredentials(() => captureTargetUntil(spec, options_, deadline()));
    while (progress.continuation) {
      const stored = JSON.parse(JSON.stringify(progress.continuation)) as TargetContinuation;
      progress = await withFakeCredentials(() => captureTargetUntil(spec, options_, deadline(), stored));
      invocations++;
    }
    const same = JSON.stringify(progress.target) === JSON.stringify(whole.target);
    const repeated = total(progress.target.apiCalls) - total(whole.target.apiCalls);
    return [
      {
        figure: label,
        measured: `${invocations} invocations; target ${same ? 'identical' : 'DIFFERENT'} (sha256 ${sha(progress.target)} vs ${sha(whole.target)}); ${formatCount(total(progress.target.apiCalls))} calls vs ${formatCount(total(whole.target.apiCalls))} (${repeated} repeated)`,
        target,
        met: verdict(options, same && repeated === 0 && invocations > 1),
        data: { invocations, same, repeated, calls: progress.target.apiCalls },
      },
    ];
  } catch (error) {
    return [notMeasured(label, target, errorMessage(error))];
  }
}
