// One DynamoDB Local for the whole run (the real one, from amplify-dynamodb-simulator's jar), with the
// table and the plan catalog; each test file starts its own local gateway against it.
import type { TestProject } from 'vitest/node';
import { localAwsEnv, startDynamoDbLocal } from '../scripts/local/dynamodb-local';
import { createTable } from '../scripts/local/table-setup';

const TABLE = 'inbox-access-test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    tableName: string;
  }
}

export default async function setup(project: TestProject) {
  const ddb = await startDynamoDbLocal();
  await createTable(ddb.endpoint, TABLE);
  Object.assign(process.env, localAwsEnv(ddb.endpoint), { TABLE_NAME: TABLE });
  const { seedPlans } = await import('../scripts/local/table-setup');
  await seedPlans();
  project.provide('dynamoEndpoint', ddb.endpoint);
  project.provide('tableName', TABLE);
  return async () => {
    await ddb.stop();
  };
}
