/**
 * Redis facts from the servers themselves, and the software inventory the rules read.
 *
 * Redis servers (`<roleKey>=<redisRole>`): an SSM Command document with two steps, run by a State
 * Manager association on a schedule:
 *   1. `aws:runShellScript` runs inventory/redis-probe.sh (embedded verbatim at synth), which writes
 *      Custom:RedisServer / Custom:RedisClusterNode files into the agent's custom inventory folder;
 *   2. `aws:softwareInventory` (the plugin behind AWS-GatherSoftwareInventory) gathers AWS:Application
 *      and every custom inventory file and uploads them with PutInventory.
 * The probe's files therefore reach SSM Inventory in the same run, with no AWS CLI and no extra IAM:
 * ssm:PutInventory is in AmazonSSMManagedInstanceCore, which every SSM-managed instance has. If the
 * probe fails (no valid instance id), `onFailure: exit` skips the upload, so no stale file is sent.
 *
 * Front-ends (`<roleKey>=<frontendRole>`): an association of the AWS-owned AWS-GatherSoftwareInventory
 * document (applications + custom inventory), for the OutSystems Platform Server rows.
 *
 * The agent runs one inventory configuration per instance and fails any other ("Each instance can be
 * associated with just one inventory configuration", amazon-ssm-agent agent/plugins/inventory/inventory.go),
 * so Redis servers get the inventory step inside the probe document, never a second association.
 * An account whose instances already have an inventory association (Quick Setup) must drop it for
 * these instances or turn these associations off: docs/redis-probe.md, "Delivery".
 */
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { redisProbeScriptLines } from './redis-probe-script';

export interface RedisInventoryAssociationProps {
  /** Tag key and value that mark Redis servers. */
  readonly tagKey: string;
  readonly tagValue: string;
  /** Tag value (same key) that marks OutSystems front-ends; without it no front-end association is made. */
  readonly frontendTagValue?: string;
  readonly ports: readonly number[];
  /** State Manager schedule (UTC), cron(...) or rate(...). */
  readonly schedule: string;
}

/** The software inventory the rules need: installed applications and custom inventory files. */
const SOFTWARE_INVENTORY = { applications: 'Enabled', awsComponents: 'Disabled', networkConfig: 'Disabled', instanceDetailedInformation: 'Disabled', customInventory: 'Enabled' } as const;

export class RedisInventoryAssociation extends Construct {
  readonly document: ssm.CfnDocument;
  readonly association: ssm.CfnAssociation;
  readonly frontendAssociation?: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: RedisInventoryAssociationProps) {
    super(scope, id);
    this.document = new ssm.CfnDocument(this, 'Document', {
      documentType: 'Command',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '2.2',
        description:
          'redis-compliance Redis probe: asks every running Redis process (INFO, CLUSTER INFO / NODES; password from its own config, TLS, any address) ' +
          'and uploads Custom:RedisServer / Custom:RedisClusterNode with AWS:Application. Read-only; records no password, key or value.',
        parameters: {
          Ports: { type: 'String', description: 'TCP ports expected to serve Redis, comma-separated (a port nothing listens on is reported)', default: props.ports.join(','), allowedPattern: '^[0-9]{1,5}([, ][0-9]{1,5})*$' },
          ConfigDirs: { type: 'String', description: 'Extra folders holding Redis config files, space-separated', default: '', allowedPattern: '^[A-Za-z0-9_./@+ -]{0,1024}$' },
          PasswordParameter: { type: 'String', description: 'SecureString SSM parameter holding the Redis password, for processes whose config file has none (needs the AWS CLI, ssm:GetParameter and kms:Decrypt)', default: '', allowedPattern: '^[A-Za-z0-9_./-]{0,2048}$' },
        },
        mainSteps: [
          {
            action: 'aws:runShellScript',
            name: 'probeRedis',
            precondition: { StringEquals: ['platformType', 'Linux'] },
            onFailure: 'exit',
            inputs: { runCommand: redisProbeScriptLines(), timeoutSeconds: '300' },
          },
          {
            action: 'aws:softwareInventory',
            name: 'uploadInventory',
            inputs: { ...SOFTWARE_INVENTORY },
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
    if (props.frontendTagValue !== undefined) {
      this.frontendAssociation = new ssm.CfnAssociation(this, 'FrontendAssociation', {
        name: 'AWS-GatherSoftwareInventory',
        associationName: 'redis-compliance-frontend-software-inventory',
        scheduleExpression: props.schedule,
        targets: [{ key: `tag:${props.tagKey}`, values: [props.frontendTagValue] }],
        parameters: Object.fromEntries(Object.entries(SOFTWARE_INVENTORY).map(([k, v]) => [k, [v]])),
        complianceSeverity: 'LOW',
        maxConcurrency: '10%',
        maxErrors: '100%',
        applyOnlyAtCronInterval: false,
      });
    }
  }
}
