// DynamoDB's JSON protocol over Node's fetch, SigV4-signed by @smithy/signature-v4 (the SDK's own signer): the
// authorizer's reads (one BatchGetItem per decision, a GetItem on a missed hint) without the SDK's DynamoDB
// client, whose load was about a third of the authorizer's cold start (issue 19; `npm run bench -- cold-start`).
// Handlers keep the SDK client (they load it anyway; shared/db/item-reader.ts).
// Retries as the SDK's standard mode does (throttling, 5xx, network: up to DYNAMODB_MAX_ATTEMPTS, jittered
// backoff); a final failure is thrown with DynamoDB's error name, so `mapDbError` reads it as it reads the SDK's.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { config } from '../config';
import { mapDbError } from './errors';
import type { Item, ItemReader, Key } from './item-reader';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): Buffer | string =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 and its HMAC from node:crypto, in the shape the signer takes. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** A request that meets DynamoDB (or the network) failing: `name` as the SDK would name it. */
class DynamoCallError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/**
 * Observers of every call, before it goes out: tests count round trips here as they do on the SDK client's
 * middleware stack, and an observer that throws fails the call as a DynamoDB error would (fault injection).
 */
export const signedFetchObservers = new Set<(operation: string, input: unknown) => void>();

let signer: SignatureV4 | undefined;
let endpoint: URL | undefined;

function setup(): { signer: SignatureV4; endpoint: URL } {
  if (!signer || !endpoint) {
    const { DYNAMODB_ENDPOINT } = config.table();
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('AWS_REGION is not set');
    endpoint = new URL(DYNAMODB_ENDPOINT ?? `https://dynamodb.${region}.amazonaws.com`);
    signer = new SignatureV4({
      service: 'dynamodb',
      region,
      sha256: Sha256,
      // Lambda puts the execution role's credentials in the environment; read per request (they rotate).
      credentials: async () => {
        const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
        if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) throw new Error('No AWS credentials in the environment');
        return {
          accessKeyId: AWS_ACCESS_KEY_ID,
          secretAccessKey: AWS_SECRET_ACCESS_KEY,
          ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
        };
      },
    });
  }
  return { signer, endpoint };
}

async function attempt(operation: string, body: string): Promise<unknown> {
  const { signer, endpoint } = setup();
  const signed = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path: endpoint.pathname,
    query: {},
    headers: {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
    },
    body,
  });
  let res: Response;
  try {
    res = await fetch(endpoint, { method: 'POST', headers: signed.headers, body });
  } catch (err) {
    throw new DynamoCallError('TimeoutError', `DynamoDB unreachable: ${(err as Error).message}`);
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (res.ok) return parsed;
  const type = String(parsed.__type ?? '');
  const name = type.slice(type.lastIndexOf('#') + 1) || (res.status >= 500 ? 'InternalServerError' : 'UnknownError');
  throw new DynamoCallError(name, String(parsed.message ?? parsed.Message ?? res.statusText), res.status);
}

async function call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  for (const observe of signedFetchObservers) observe(operation, input);
  const { DYNAMODB_MAX_ATTEMPTS } = config.table();
  const body = JSON.stringify(input);
  for (let n = 1; ; n++) {
    try {
      return (await attempt(operation, body)) as Record<string, unknown>;
    } catch (err) {
      const e = err as DynamoCallError;
      const retryable = RETRYABLE.has(e.name) || (e.statusCode ?? 0) >= 500;
      if (!retryable || n >= DYNAMODB_MAX_ATTEMPTS) throw err;
      // The SDK's standard mode: full jitter on an exponential base of 100 ms.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20_000, 100 * 2 ** n)));
    }
  }
}

const key = (k: Key) => ({ PK: { S: k.PK }, SK: { S: k.SK } });
const tableName = () => config.table().TABLE_NAME;

/** The access loader's reader for the authorizer. */
export const signedFetchItemReader: ItemReader = {
  async getOne(k, consistent) {
    try {
      const res = await call('GetItem', { TableName: tableName(), Key: key(k), ConsistentRead: consistent });
      return res.Item ? (unmarshall(res.Item as never) as Item) : undefined;
    } catch (err) {
      return mapDbError(err);
    }
  },
  async batchGet(keys, consistent) {
    try {
      const res = await call('BatchGetItem', {
        RequestItems: { [tableName()]: { Keys: keys.map(key), ConsistentRead: consistent } },
      });
      if (Object.keys((res.UnprocessedKeys as object | undefined) ?? {}).length > 0) {
        // Partial answers happen under throttling: treat as unavailable rather than decide on half the facts.
        return mapDbError({ name: 'ThrottlingException' });
      }
      const found = ((res.Responses as Record<string, unknown[]> | undefined)?.[tableName()] ?? []) as never[];
      return found.map((i) => unmarshall(i) as Item);
    } catch (err) {
      return mapDbError(err);
    }
  },
};
