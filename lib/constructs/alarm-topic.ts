/**
 * The SNS topic every alarm notifies, encrypted with its own customer-managed key (CloudWatch
 * alarms cannot publish to a topic encrypted with the AWS-managed SNS key), SSL-only, with an
 * optional e-mail subscription.
 *
 * The topic policy CDK writes for `enforceSSL` is the topic's whole policy (it replaces SNS's
 * default owner policy), so CloudWatch needs its own Allow, conditioned on alarms of this account
 * and region (aws:SourceAccount / aws:SourceArn, the confused-deputy guard of
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html). Without it no alarm
 * notifies (the defect of aws-solutions/automated-security-response-on-aws #43, fixed in #44).
 * The key statement is the one of
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services,
 * unconditioned as there: whether KMS receives aws:SourceArn / aws:SourceAccount when SNS encrypts
 * for a service publisher is not documented for every service (for EventBridge it is documented
 * that it does not), and a condition that never matches would silence every alarm again. The key
 * serves this topic only, and the topic policy above already admits only our alarms.
 * test/infra/access-paths.test.ts evaluates both.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  readonly email?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'redis-compliance: alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stack = Stack.of(this);
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'redis-compliance alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
