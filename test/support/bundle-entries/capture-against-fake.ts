/**
 * Entry bundled by test/infra/schema-keys-plugin.test.ts with and without the SDK schema-keys plugin:
 * a live capture through the real collectors and SDK clients against the wire-level fake AWS, so
 * every EC2 / SSM / STS schema the capture touches is serialised and parsed by the bundled SDK.
 */
import { captureTargetUntil } from '../../../lambdas/adapters/collectors/capture-target';
import { NO_DEADLINE } from '../../../lambdas/adapters/collectors/capture-deadline';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { ACCOUNT, REGION } from '../estate-builder';
import { FakeAws } from '../aws-fakes/fake-aws';
import { generateEstate } from '../aws-fakes/generate-estate';
import { fakeClientOptions } from '../aws-fakes/test-setup';

export async function capture(instances: number): Promise<string> {
  const fake = new FakeAws().add(generateEstate(instances).builder.target);
  const { target } = await captureTargetUntil({ accountId: ACCOUNT, region: REGION }, { tags: DEFAULT_CONFIG.tags, ...fakeClientOptions(fake) }, NO_DEADLINE);
  return JSON.stringify({ target, received: fake.counts() });
}
