/**
 * Where reports too large for an API response are kept for a presigned download
 * (lambdas/adapters/reports/report-object-store.ts): a private bucket, encrypted by default with the
 * stack's data key (SSE-KMS with an S3 Bucket Key), every public access blocked, plain HTTP refused
 * by the bucket policy (enforceSSL), objects expired after `expireAfterDays` (they are renders of
 * what the findings table holds, re-made on request), owner-enforced object ownership (no ACLs).
 *
 * The API role may put and get objects under `reports/` only, and use the key only through S3
 * (`kms:ViaService` = s3.<region>.amazonaws.com, as the table grants do for DynamoDB). A presigned
 * GET URL is signed with that role's credentials, so the reader of the URL is allowed exactly what
 * the role is: that object, until the URL expires.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { arnToken, iam5Resource } from './nag-ids';

export const REPORT_OBJECT_PREFIX = 'reports/';
export const DEFAULT_REPORT_EXPIRY_DAYS = 7;

export interface ReportBucketProps {
  readonly encryptionKey: kms.IKey;
  readonly expireAfterDays?: number;
}

export class ReportBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ReportBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'ExpireRenderedReports', enabled: true, expiration: Duration.days(props.expireAfterDays ?? DEFAULT_REPORT_EXPIRY_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Renders of what the table holds: nothing is lost with the bucket.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Objects are short-lived renders of reports the findings table holds, downloaded through presigned URLs the API hands only to its authorised callers; the API access log records who asked. Server access logs would need a second bucket for no added record.',
    });
  }

  /** The API function's role: write and read rendered reports, with the key through S3 only. */
  grantReportAccess(role: iam.IRole, encryptionKey: kms.IKey): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReportObjects',
      actions: ['s3:PutObject', 's3:GetObject'],
      resources: [this.bucket.arnForObjects(`${REPORT_OBJECT_PREFIX}*`)],
    }));
    Validations.of(role).acknowledge({
      id: iam5Resource(`${arnToken(this.bucket)}/${REPORT_OBJECT_PREFIX}*`),
      reason: 'Rendered reports are one object per scan and format under reports/ of this one bucket; their keys are made at request time.',
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReportObjectsKey',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    }));
  }
}
