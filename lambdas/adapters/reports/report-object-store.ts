/**
 * Reports too large for an API response, kept in S3 and handed out as short-lived presigned GET URLs.
 *
 * The bucket (lib/constructs/report-bucket.ts) encrypts with the data key by default (SSE-KMS), blocks
 * public access, refuses plain HTTP and expires objects, so nothing here sets encryption headers or
 * deletes. A presigned URL carries the API role's signature and is valid for `expiresInSeconds` (and
 * never longer than the role's session credentials); anyone holding it may read that one object
 * until then, so it is kept short (default 5 minutes) and is only returned to callers the API has
 * already authorised.
 *
 * The S3 client and the presigner are imported on first use: the API answers most requests without
 * them, so they cost nothing at cold start.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

export const DEFAULT_PRESIGNED_URL_SECONDS = 300;
/** SigV4 presigned URLs last at most 7 days (https://docs.aws.amazon.com/cli/latest/reference/s3/presign.html). */
export const PRESIGNED_URL_MAX_SECONDS = 604_800;

export interface StoredReport {
  key: string;
  url: string;
  expiresInSeconds: number;
}

export interface ReportObjectStoreOptions {
  /** S3 client settings (tests point it at a local S3 server); default: the Lambda's region and role. */
  clientConfig?: S3ClientConfig;
  expiresInSeconds?: number;
  /** Longest `expiresInSeconds` accepted (default 3600: the API's links are for its own callers, at once). */
  maxExpiresInSeconds?: number;
}

export class ReportObjectStore {
  private client: Promise<S3Client> | undefined;
  readonly expiresInSeconds: number;

  constructor(
    readonly bucket: string,
    private readonly options: ReportObjectStoreOptions = {},
  ) {
    this.expiresInSeconds = options.expiresInSeconds ?? DEFAULT_PRESIGNED_URL_SECONDS;
    const max = Math.min(options.maxExpiresInSeconds ?? 3600, PRESIGNED_URL_MAX_SECONDS);
    if (!Number.isInteger(this.expiresInSeconds) || this.expiresInSeconds < 1 || this.expiresInSeconds > max) throw new RangeError(`presigned URLs last 1-${max} s here, got ${this.expiresInSeconds}`);
  }

  /** Stores the body under `key` and returns a presigned GET URL for it. */
  async put(key: string, body: string, contentType: string, contentDisposition?: string): Promise<StoredReport> {
    const [{ GetObjectCommand, PutObjectCommand }, { getSignedUrl }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
    const s3 = await this.s3();
    await s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ...(contentDisposition ? { ContentDisposition: contentDisposition } : {}) }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: this.expiresInSeconds });
    return { key, url, expiresInSeconds: this.expiresInSeconds };
  }

  destroy(): void {
    void this.client?.then((c) => c.destroy());
  }

  private s3(): Promise<S3Client> {
    this.client ??= import('@aws-sdk/client-s3').then(({ S3Client }) => new S3Client(this.options.clientConfig ?? {}));
    return this.client;
  }
}
