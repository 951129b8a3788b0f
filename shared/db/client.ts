// One module-scope client per container: connections and credentials are reused across invocations.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

const { TABLE_NAME, DYNAMODB_ENDPOINT, DYNAMODB_MAX_ATTEMPTS } = config.table();

export const tableName = TABLE_NAME;

export const dynamo = new DynamoDBClient({
  ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
  // Standard retry mode backs off with jitter on throttling and 5xx before the error reaches the mapper.
  maxAttempts: DYNAMODB_MAX_ATTEMPTS,
  retryMode: 'standard',
});

export const db = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
