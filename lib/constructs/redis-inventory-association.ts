/**
 * Redis facts from the servers themselves: an SSM Command document (lib/constructs/redis-inventory-script.ts)
 * and a State Manager association that runs it on a schedule on every instance tagged as a Redis
 * server (`<roleKey>=<redisRole>` from the scan config). The association needs no IAM of its own:
 * the script runs under the instance profile SSM-managed instances already have (ssm:PutInventory
 * is part of AmazonSSMManagedInstanceCore).
 */
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { REDIS_INVENTORY_SCRIPT, REDIS_INVENTORY_TYPE } from './redis-inventory-script';

export interface RedisInventoryAssociationProps {
  /** Tag key and value that mark Redis servers. */
  readonly tagKey: string;
  readonly tagValue: string;
  readonly ports: readonly number[];
  /** State Manager schedule (UTC), cron(...) or rate(...). */
  readonly schedule: string;
}

export class RedisInventoryAssociation extends Construct {
  readonly document: ssm.CfnDocument;
  readonly association: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: RedisInventoryAssociationProps) {
    super(scope, id);
    this.document = new ssm.CfnDocument(this, 'Document', {
      documentType: 'Command',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '2.2',
        description: `Records ${REDIS_INVENTORY_TYPE} inventory (redis_version, redis_mode, cluster_enabled, sentinel_running per port) from redis-server --version and redis-cli INFO. Read-only on the server.`,
        parameters: {
          Ports: { type: 'String', description: 'Redis TCP ports, comma-separated', default: props.ports.join(','), allowedPattern: '^[0-9]{1,5}([, ][0-9]{1,5})*$' },
        },
        mainSteps: [
          {
            action: 'aws:runShellScript',
            name: 'recordRedisServerInventory',
            precondition: { StringEquals: ['platformType', 'Linux'] },
            inputs: { runCommand: [...REDIS_INVENTORY_SCRIPT], timeoutSeconds: '120' },
          },
        ],
      },
    });
    this.association = new ssm.CfnAssociation(this, 'Association', {
      name: this.document.ref,
      associationName: 'redis-compliance-redis-server-inventory',
      scheduleExpression: props.schedule,
      targets: [{ key: `tag:${props.tagKey}`, values: [props.tagValue] }],
      parameters: { Ports: [props.ports.join(',')] },
      complianceSeverity: 'LOW',
      maxConcurrency: '10%',
      maxErrors: '100%',
      applyOnlyAtCronInterval: false,
    });
  }
}
