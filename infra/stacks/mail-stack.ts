// Invitation mail: the token secret, the SES configuration set and its bounce/complaint events, the
// stream-driven mailer and the SES event handler.
import { CfnParameter, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DeployConfig } from '../config';
import { AppFunction } from '../constructs/lambda-function';
import { acknowledge } from '../nag';

export interface MailStackProps extends StackProps {
  table: ITableV2;
  config: DeployConfig;
}

export class MailStack extends Stack {
  readonly tokenSecret: Secret;

  constructor(scope: Construct, id: string, props: MailStackProps) {
    super(scope, id, props);
    const { table, config } = props;

    const identity = new CfnParameter(this, 'SesIdentity', {
      type: 'String',
      default: config.mail.identity,
      description: 'The verified SES identity (domain or address) invitations are sent from',
    });
    const from = new CfnParameter(this, 'MailFrom', {
      type: 'String',
      default: config.mail.from,
      description: 'The From address of invitation emails (within the SES identity)',
    });
    const identityArn = this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity.valueAsString });

    this.tokenSecret = new Secret(this, 'InviteTokenSecret', {
      description: 'HMAC key of invitation tokens (the table stores only token hashes)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledge(this.tokenSecret, [
      {
        id: 'AwsSolutions::AwsSolutions-SMG4',
        reason:
          'Rotating the HMAC key would void every outstanding invitation link; it is rotated by hand with a re-send.',
      },
    ]);

    // Bounces and complaints: configuration set → encrypted SNS topic → handler.
    const topicKey = new Key(this, 'MailEventsKey', { enableKeyRotation: true, description: 'SES event topic' });
    topicKey.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    const topic = new Topic(this, 'MailEvents', { masterKey: topicKey, enforceSSL: true });
    const configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {});
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    const mailEnv = {
      TABLE_NAME: table.tableName,
      MAIL_FROM: from.valueAsString,
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      APP_URL: config.mail.appUrl,
    };
    const sendEmail = new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        identityArn,
        this.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: configurationSet.configurationSetName,
        }),
      ],
    });

    const mailer = new AppFunction(this, 'MailerFn', {
      area: 'mailer',
      timeout: Duration.seconds(30),
      environment: { ...mailEnv, INVITE_TOKEN_SECRET_ARN: this.tokenSecret.secretArn },
    });
    mailer.addToRolePolicy(sendEmail);
    // Reads the invitation (an access request, and the workspace's members to find its approvers: Query; a failed
    // scheduled message, its author and the API key it was scheduled with);
    // writes only its idempotency records.
    mailer.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    this.tokenSecret.grantRead(mailer);
    const dlq = new Queue(this, 'MailerDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(dlq, [
      { id: 'AwsSolutions::AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the mailer.' },
    ]);
    mailer.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 25,
        retryAttempts: 5,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(dlq),
        filters: [
          FilterCriteria.filter({ dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('Invitation') } } } }),
          // Access requests: their approvers are emailed the same way.
          FilterCriteria.filter({ dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('AccessRequest') } } } }),
          // A scheduled message that failed at delivery: its author is emailed.
          FilterCriteria.filter({
            dynamodb: {
              NewImage: {
                entity: { S: FilterRule.isEqual('ScheduledMessage') },
                status: { S: FilterRule.isEqual('failed') },
              },
            },
          }),
        ],
      }),
    );

    const events = new AppFunction(this, 'MailEventsFn', { area: 'mail-events', environment: mailEnv });
    events.addToRolePolicy(sendEmail);
    events.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:UpdateItem',
          'dynamodb:PutItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [table.tableArn],
      }),
    );
    topic.addSubscription(new LambdaSubscription(events));
  }
}
