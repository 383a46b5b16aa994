/**
 * What real AWS does under load, for FakeAws: a latency per request and a token bucket per account,
 * region and API (service:Operation). A request that finds its bucket empty is refused with the
 * service's throttling error, in that service's wire shape:
 *
 * - EC2 (query protocol, XML): `RequestLimitExceeded`, "Request limit exceeded.", HTTP 503. The EC2
 *   developer guide, "Request throttling for the Amazon EC2 API": EC2 throttles "for each AWS account
 *   on a per-Region basis" with a token bucket per API ("each API is evaluated individually"), and
 *   "If you exceed an API throttling limit, you get the RequestLimitExceeded error code"
 *   (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html). The same page gives
 *   the non-mutating (Describe*) buckets as 100 tokens refilled at 20 a second.
 * - SSM (JSON 1.1): `ThrottlingException` (the SSM model's error shape; message "Rate exceeded"),
 *   HTTP 400, as `{"__type":"ThrottlingException","message":"Rate exceeded"}`.
 * - STS: `Throttling`, "Rate exceeded", HTTP 400 (query protocol error document).
 *
 * A refused request takes no token (it was not served), as a token bucket does. The clock is
 * injectable so the bucket arithmetic is tested without waiting.
 */

export interface BucketSpec {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size (the burst); default one second's worth of tokens. */
  burst?: number;
}

export interface ApiLoadOptions {
  /** Milliseconds each request takes before it is answered (throttled ones too). Default 0. */
  latencyMs?: number;
  /**
   * Buckets by `service:Operation` (e.g. `ssm:ListInventoryEntries`) or by service (`ssm`), the
   * operation's own entry winning. Each account x region x operation has its own bucket.
   */
  buckets?: Record<string, BucketSpec>;
  /** Milliseconds since some origin; default performance.now(). */
  now?: () => number;
}

/** The throttling error each service answers with. */
export const THROTTLING_ERRORS = {
  ec2: { code: 'RequestLimitExceeded', message: 'Request limit exceeded.', status: 503 },
  ssm: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  sts: { code: 'Throttling', message: 'Rate exceeded', status: 400 },
  cloudwatch: { code: 'Throttling', message: 'Rate exceeded', status: 400 },
  inspector2: { code: 'ThrottlingException', message: 'Rate exceeded', status: 429 },
} as const;

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly spec: Required<BucketSpec>,
    now: number,
  ) {
    if (!(spec.ratePerSecond > 0) || !(spec.burst >= 1)) throw new RangeError(`a token bucket needs a positive rate and a burst of at least 1, got ${JSON.stringify(spec)}`);
    this.tokens = spec.burst;
    this.last = now;
  }

  /** Takes a token if one is there; false when the bucket is empty (the request is throttled). */
  take(now: number): boolean {
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.last) / 1000) * this.spec.ratePerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class ApiLoad {
  readonly latencyMs: number;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly now: () => number;
  /** Requests refused, by `service:Operation`. */
  readonly throttled = new Map<string, number>();

  constructor(private readonly options: ApiLoadOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    if (!(this.latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${this.latencyMs}`);
    this.now = options.now ?? (() => performance.now());
  }

  /** Whether the request may be served now (takes a token), or is throttled. */
  admit(call: { service: string; operation: string; accountId: string; region: string }): boolean {
    const key = `${call.service}:${call.operation}`;
    const spec = this.options.buckets?.[key] ?? this.options.buckets?.[call.service];
    if (!spec) return true;
    const id = `${call.accountId}/${call.region}/${key}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket({ ratePerSecond: spec.ratePerSecond, burst: spec.burst ?? spec.ratePerSecond }, this.now());
      this.buckets.set(id, bucket);
    }
    if (bucket.take(this.now())) return true;
    this.throttled.set(key, (this.throttled.get(key) ?? 0) + 1);
    return false;
  }

  totalThrottled(): number {
    let sum = 0;
    for (const n of this.throttled.values()) sum += n;
    return sum;
  }
}
