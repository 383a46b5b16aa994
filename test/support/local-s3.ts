/**
 * A real S3 API on 127.0.0.1 for tests: s3rver (an S3 server in Node.js, objects in a temporary
 * directory), reached with the AWS SDK's S3 client (path-style). Checked against
 * @aws-sdk/client-s3 and the presigner: PutObject, GetObject and presigned GET URLs work.
 * What it does not do: it checks no signature (a tampered presigned URL is served too) and applies
 * no bucket policy, encryption or lifecycle; those are the CDK construct's (test/infra).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => { run(): Promise<{ address: string; port: number }>; close(): Promise<void> };

export interface LocalS3 {
  clientConfig: S3ClientConfig;
  endpoint: string;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalS3(): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: S3ClientConfig = { region: 'eu-west-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
  return {
    clientConfig,
    endpoint,
    async createBucket(name) {
      const s3 = new S3Client(clientConfig);
      try {
        await s3.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        s3.destroy();
      }
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
