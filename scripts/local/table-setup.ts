// Creates the table from the shared definition and seeds the plan catalog, as a deploy would.
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../shared/db/table';
import { DEFAULT_PLANS } from '../../shared/permissions/plans';

export async function createTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (err) {
    if ((err as Error).name !== 'ResourceInUseException') throw err;
  }
  await client.send(new DescribeTableCommand({ TableName: tableName }));
  client.destroy();
}

/** Seeds plans through the same repository the app reads them with (process env must point at the table). */
export async function seedPlans(): Promise<void> {
  const { seedPlanCatalog } = await import('../../shared/plans/repository');
  await seedPlanCatalog(DEFAULT_PLANS);
}
