// One DynamoDB Local for the whole run (the real one, from amplify-dynamodb-simulator's jar), with the
// table and the plan catalog; each test file starts its own local gateway against it.
import type { TestProject } from 'vitest/node';
import { localAwsEnv, startDynamoDbLocal } from '../scripts/local/dynamodb-local';
import { newTokenSecret, startLocalMail } from '../scripts/local/mail';
import { createTable } from '../scripts/local/table-setup';

const TABLE = 'inbox-access-test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    tableName: string;
    sesEndpoint: string;
    inviteTokenSecret: string;
  }
}

export default async function setup(project: TestProject) {
  const ddb = await startDynamoDbLocal();
  await createTable(ddb.endpoint, TABLE);
  Object.assign(process.env, localAwsEnv(ddb.endpoint), { TABLE_NAME: TABLE });
  const { seedPlans } = await import('../scripts/local/table-setup');
  await seedPlans();
  // One SES stand-in and one stream → mailer pipeline for the run, like one event source mapping.
  process.env.INVITE_TOKEN_SECRET = newTokenSecret();
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  const mail = await startLocalMail({ endpoint: ddb.endpoint, tableName: TABLE });
  project.provide('dynamoEndpoint', ddb.endpoint);
  project.provide('tableName', TABLE);
  project.provide('sesEndpoint', mail.ses.url);
  project.provide('inviteTokenSecret', process.env.INVITE_TOKEN_SECRET);
  return async () => {
    await mail.stop();
    await ddb.stop();
  };
}
