// Scheduled jobs: the seat reconciliation (PRODUCT.md §9), run by EventBridge Scheduler (hourly by
// default, `reconcileSchedule` in infra/config.ts); the grant sweep and the scheduled-message delivery likewise. It emits SeatsChanged to its own event bus. Failed
// runs end in a dead-letter queue: an invocation the scheduler could not deliver (throttled, gone), and a
// run that failed after Lambda's asynchronous retries (the handler fails a run in which any workspace
// failed, after reconciling the others, so the retry reruns it idempotently).
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DeployConfig } from '../config';
import { AppFunction } from '../constructs/lambda-function';
import { acknowledge } from '../nag';

export interface JobsStackProps extends StackProps {
  table: ITableV2;
  config: DeployConfig;
}

export class JobsStack extends Stack {
  readonly reconcileFn: AppFunction;
  readonly grantSweepFn: AppFunction;
  readonly scheduledDeliveryFn: AppFunction;
  readonly billingBus: EventBus;
  readonly dlq: Queue;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    const { table, config } = props;

    this.billingBus = new EventBus(this, 'BillingBus', {
      eventBusName: `inbox-access-billing-${config.stage}`,
      description: 'SeatsChanged events of the seat reconciliation, for the billing system',
    });

    this.reconcileFn = new AppFunction(this, 'ReconcileFn', {
      area: 'reconcile',
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: {
        TABLE_NAME: table.tableName,
        BILLING_EVENT_BUS: this.billingBus.eventBusName,
        RECONCILE_CONCURRENCY: String(config.jobs.reconcileConcurrency),
      },
    });
    // Least privilege: the table and its GSI2 (the workspace directory) only, reads for the walk and the recounts
    // (no Scan), conditional writes for counters, billing, ledger, audit entries and idempotency records
    // (DeleteItem: Powertools removes the record of a publish that failed); PutEvents on its own bus only.
    this.reconcileFn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:Query',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [table.tableArn],
      }),
    );
    this.reconcileFn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/GSI2`] }),
    );
    this.reconcileFn.addToRolePolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.billingBus.eventBusArn] }),
    );

    this.dlq = new Queue(this, 'ReconcileDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.dlq, [
      {
        id: 'AwsSolutions::AwsSolutions-SQS3',
        reason: 'This queue is itself the dead-letter queue of failed reconciliation runs.',
      },
    ]);
    this.runOnSchedule(this.reconcileFn, {
      id: 'ReconcileSchedule',
      job: 'reconciliation',
      description: 'Seat reconciliation: paid seats from the members, one ledger entry and event per change',
      expression: config.jobs.reconcileSchedule,
    });

    // The grant sweep (expired time-bound grants): same pattern, same DLQ. Decisions never wait for it.
    this.grantSweepFn = new AppFunction(this, 'GrantSweepFn', {
      area: 'grant-sweep',
      memorySize: 512,
      timeout: Duration.minutes(15),
      environment: { TABLE_NAME: table.tableName },
    });
    // Query of the sparse GSI2 to find what is due (grant ends, release markers) and of the assignee index (GSI1)
    // for a deactivated member's conversations, and of the table for a workspace's members (a reach release marker
    // of a change too large to list them); GetItem to re-read each member and marker, BatchGetItem for a reach
    // marker's members and the inboxes and company-admin grants a lost-reach decision reads; conditional
    // transactions (Update, Put for audit entries, ConditionCheck, Delete of a released conversation's assignee
    // entry), PutItem of a reach marker a change could not carry, and DeleteItem of a release marker that is done;
    // no Scan.
    this.grantSweepFn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [table.tableArn, `${table.tableArn}/index/GSI2`, `${table.tableArn}/index/GSI1`],
      }),
    );
    this.grantSweepFn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:BatchGetItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [table.tableArn],
      }),
    );
    this.runOnSchedule(this.grantSweepFn, {
      id: 'GrantSweepSchedule',
      job: 'grant sweep',
      description: 'Grant sweep: reverts roles whose term is over, removes expired grants, audits grant.expired',
      expression: config.jobs.grantSweepSchedule,
    });

    // Scheduled-message delivery (docs/scheduled-messages.md): same pattern, same DLQ, every minute by default.
    this.scheduledDeliveryFn = new AppFunction(this, 'ScheduledDeliveryFn', {
      area: 'scheduled-delivery',
      memorySize: 512,
      timeout: Duration.minutes(5),
      environment: { TABLE_NAME: table.tableName },
    });
    // Query of the sparse GSI2 only (what is due); each message is then decided as a send is: the author's access
    // (BatchGetItem, GetItem), the conversation, the author's reach and the outgoing lists (BatchGetItem), and one
    // conditional transaction (Put of the message and audit entry, Update of the conversation, its assignee entry,
    // the counters and the scheduled message, ConditionCheck of what the decision used). No DeleteItem, no Scan.
    this.scheduledDeliveryFn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/GSI2`] }),
    );
    this.scheduledDeliveryFn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:BatchGetItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [table.tableArn],
      }),
    );
    this.runOnSchedule(this.scheduledDeliveryFn, {
      id: 'ScheduledDeliverySchedule',
      job: 'scheduled-message delivery',
      description: 'Scheduled messages: sends each due message as its author decided again now, or marks it failed',
      expression: config.jobs.scheduledDeliverySchedule,
    });
  }

  /**
   * Runs `fn` by EventBridge Scheduler on `schedule.expression`. Both ways a run can be lost end in the stack's DLQ:
   * an invocation the scheduler could not deliver, and a run that still failed after Lambda's retries.
   */
  private runOnSchedule(
    fn: AppFunction,
    schedule: { id: string; job: string; description: string; expression: string },
  ): void {
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.dlq),
    });
    // The scheduler's role (made by the target) may invoke this one function and its versions/aliases.
    acknowledge(this, [
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
        reason: `The scheduler role may invoke only the ${schedule.job} function; the \`:*\` suffix covers its versions and aliases, nothing else.`,
      },
    ]);
    new Schedule(this, schedule.id, {
      description: schedule.description,
      schedule: ScheduleExpression.expression(schedule.expression),
      target: new LambdaInvoke(fn, {
        input: ScheduleTargetInput.fromObject({ source: 'schedule' }),
        deadLetterQueue: this.dlq,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
