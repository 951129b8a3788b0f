import { marshall } from '@aws-sdk/util-dynamodb';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { TABLE } from '../../shared/db/table';
import { DEFAULT_PLANS } from '../../shared/permissions/plans';
import { planCatalogKey } from '../../shared/table/plans/keys';
import { acknowledge } from '../nag';

export interface DataStackProps extends StackProps {
  tableName: string;
}

export class DataStack extends Stack {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const s = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: s(TABLE.partitionKey),
      sortKey: s(TABLE.sortKey),
      globalSecondaryIndexes: TABLE.indexes.map((gsi) => ({
        indexName: gsi.name,
        partitionKey: s(gsi.partitionKey),
        sortKey: s(gsi.sortKey),
        projectionType: ProjectionType[gsi.projection],
      })),
      billing: Billing.onDemand(),
      dynamoStream: StreamViewType[TABLE.stream],
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Plans are data: the deploy writes the default catalog (same item the local setup seeds).
    const item = marshall({ ...planCatalogKey(), entity: 'PlanCatalog', ...DEFAULT_PLANS });
    const put = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: { TableName: this.table.tableName, Item: item },
      physicalResourceId: PhysicalResourceId.of(`plan-catalog-v${DEFAULT_PLANS.version}`),
    };
    new AwsCustomResource(this, 'SeedPlans', {
      onCreate: put,
      onUpdate: put,
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [this.table.tableArn] }),
      installLatestAwsSdk: false,
    });
    acknowledge(this, [
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The AwsCustomResource singleton Lambda (provided by aws-cdk-lib) only writes CloudWatch Logs with it.',
      },
    ]);
  }
}
