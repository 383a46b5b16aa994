/** A dead-letter queue: SQS-managed encryption, SSL-only, 14 days of retention. */
import { Duration } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export function createDeadLetterQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself a dead-letter queue (of Lambda asynchronous invocations, the EventBridge rule target and the schedule target); a DLQ of a DLQ would only move the problem. An alarm fires on its first message.',
  });
  return queue;
}
