// Runs in each test worker before the test file is imported, so module-scope clients see the test table.
import { inject } from 'vitest';
import { localAwsEnv } from '../scripts/local/dynamodb-local';
import { mailEnv } from '../scripts/local/mail';

Object.assign(
  process.env,
  localAwsEnv(inject('dynamoEndpoint')),
  mailEnv(inject('sesEndpoint'), inject('inviteTokenSecret')),
  {
    TABLE_NAME: inject('tableName'),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  },
);
