/**
 * One account and region: the SSM document and State Manager association that record the
 * Custom:RedisServer inventory on the Redis servers there. Regional, so deployed once per region
 * (in member accounts through the StackSet of member-stack-sets-stack.ts).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RedisInventoryAssociation, type RedisInventoryAssociationProps } from '../constructs/redis-inventory-association';

export interface RedisInventoryStackProps extends StackProps, RedisInventoryAssociationProps {}

export class RedisInventoryStack extends Stack {
  readonly inventory: RedisInventoryAssociation;

  constructor(scope: Construct, id: string, props: RedisInventoryStackProps) {
    super(scope, id, props);
    this.inventory = new RedisInventoryAssociation(this, 'RedisInventory', props);
  }
}
