// One module-scope client per container: connections and credentials are reused across invocations.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TABLE_NAME } from './table';

export const tableName = process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;

const endpoint = process.env.DYNAMODB_ENDPOINT;

export const dynamo = new DynamoDBClient({
  ...(endpoint ? { endpoint } : {}),
  // Standard retry mode backs off with jitter on throttling and 5xx before the error reaches the mapper.
  maxAttempts: Number(process.env.DYNAMODB_MAX_ATTEMPTS ?? 3),
  retryMode: 'standard',
});

export const db = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
