/** Fake default-chain credentials for captures against the in-process FakeAws (figures 1 and 2). */
import { ACCOUNT } from '../../test/support/estate-builder';
import { fakeAccessKeyId } from '../../test/support/aws-fakes/fake-aws';

/** Sets fake default-chain credentials for the capture and restores the environment after. */
export async function withFakeCredentials<T>(run: () => Promise<T>): Promise<T> {
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_SSM', 'AWS_ENDPOINT_URL_STS'];
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  for (const n of names) delete process.env[n];
  process.env.AWS_ACCESS_KEY_ID = fakeAccessKeyId(ACCOUNT);
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  try {
    return await run();
  } finally {
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  }
}
