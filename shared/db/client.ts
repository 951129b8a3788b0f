// The table's one client, shared by every function: the document-shaped commands of `@aws-sdk/lib-dynamodb`
// (same inputs and outputs, plain JS values in and out) sent as signed requests of DynamoDB's JSON protocol
// (shared/db/signed-request.ts), marshalled by `@aws-sdk/util-dynamodb` as lib-dynamodb does. Not the SDK's client:
// loading it and the modules its first request loads was a third to a half of every cold start (issue 19). The
// SDK's types are imported as types only, so the bundles carry none of it.
// Retries as the SDK's standard mode does (throttling, 5xx, network: up to DYNAMODB_MAX_ATTEMPTS, full-jitter
// backoff); a final failure is thrown with DynamoDB's error name, which `mapDbError` turns into a typed error.
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { config } from '../config';
import { RETRIED_ERRORS } from './errors';
import { DynamoError, signedRequest } from './signed-request';

const { TABLE_NAME } = config.table();

export const tableName = TABLE_NAME;

type Doc = Record<string, unknown>;
type Wire = Record<string, unknown>;
type Output<O> = Omit<O, '$metadata'>;

/** A command: its DynamoDB operation, its document-shaped input, and (as a type only) its output. */
interface Command<I, O> {
  readonly operation: string;
  readonly input: I;
  readonly output?: Output<O>;
}

/** A command class per operation, named as lib-dynamodb names it: `new QueryCommand({...})`. */
const command = <I, O>(operation: string) =>
  class implements Command<I, O> {
    declare readonly output?: Output<O>;
    readonly operation = operation;
    constructor(readonly input: I) {}
  };

export const GetCommand = command<GetCommandInput, GetCommandOutput>('GetItem');
export const PutCommand = command<PutCommandInput, PutCommandOutput>('PutItem');
export const UpdateCommand = command<UpdateCommandInput, UpdateCommandOutput>('UpdateItem');
export const DeleteCommand = command<DeleteCommandInput, DeleteCommandOutput>('DeleteItem');
export const QueryCommand = command<QueryCommandInput, QueryCommandOutput>('Query');
export const ScanCommand = command<ScanCommandInput, ScanCommandOutput>('Scan');
export const BatchGetCommand = command<BatchGetCommandInput, BatchGetCommandOutput>('BatchGetItem');
export const BatchWriteCommand = command<BatchWriteCommandInput, BatchWriteCommandOutput>('BatchWriteItem');
export const TransactWriteCommand = command<TransactWriteCommandInput, TransactWriteCommandOutput>(
  'TransactWriteItems',
);

// What lib-dynamodb marshals, field by field: attribute names in expressions and keys are left alone.
const options = { removeUndefinedValues: true, convertClassInstanceToMap: false } as const;
const toWire = (doc: unknown): Wire => marshall(doc as Doc, options) as Wire;
const fromWire = (wire: unknown): Doc => unmarshall(wire as never) as Doc;
const mapped = (o: Doc | undefined, fields: Record<string, (v: unknown) => unknown>): Doc | undefined => {
  if (!o) return o;
  const out: Doc = { ...o };
  for (const [field, f] of Object.entries(fields)) if (out[field] !== undefined) out[field] = f(out[field]);
  return out;
};
const eachItem = (f: (v: unknown) => unknown) => (v: unknown) => (v as unknown[]).map(f);
const perTable = (f: (v: unknown) => unknown) => (v: unknown) =>
  Object.fromEntries(Object.entries(v as Doc).map(([t, x]) => [t, f(x)]));
const keyed = { Key: toWire, ExpressionAttributeValues: toWire };
const writeRequest = (convert: (v: unknown) => unknown) => (r: unknown) =>
  mapped(r as Doc, {
    PutRequest: (p) => mapped(p as Doc, { Item: convert }),
    DeleteRequest: (d) => mapped(d as Doc, { Key: convert }),
  });
const keysAndAttributes = (convert: (v: unknown) => unknown) => (k: unknown) =>
  mapped(k as Doc, { Keys: eachItem(convert) });

const inputs: Record<string, (i: Doc) => Doc | undefined> = {
  GetItem: (i) => mapped(i, { Key: toWire }),
  PutItem: (i) => mapped(i, { Item: toWire, ExpressionAttributeValues: toWire }),
  UpdateItem: (i) => mapped(i, keyed),
  DeleteItem: (i) => mapped(i, keyed),
  Query: (i) => mapped(i, { ExpressionAttributeValues: toWire, ExclusiveStartKey: toWire }),
  Scan: (i) => mapped(i, { ExpressionAttributeValues: toWire, ExclusiveStartKey: toWire }),
  BatchGetItem: (i) => mapped(i, { RequestItems: perTable(keysAndAttributes(toWire)) }),
  BatchWriteItem: (i) => mapped(i, { RequestItems: perTable(eachItem(writeRequest(toWire))) }),
  TransactWriteItems: (i) =>
    mapped(i, {
      TransactItems: eachItem((t) =>
        mapped(t as Doc, {
          Put: (p) => mapped(p as Doc, { Item: toWire, ExpressionAttributeValues: toWire }),
          Update: (u) => mapped(u as Doc, keyed),
          Delete: (d) => mapped(d as Doc, keyed),
          ConditionCheck: (c) => mapped(c as Doc, keyed),
        }),
      ),
    }),
};
const outputs: Record<string, (o: Doc) => Doc | undefined> = {
  GetItem: (o) => mapped(o, { Item: fromWire }),
  PutItem: (o) => mapped(o, { Attributes: fromWire }),
  UpdateItem: (o) => mapped(o, { Attributes: fromWire }),
  DeleteItem: (o) => mapped(o, { Attributes: fromWire }),
  Query: (o) => mapped(o, { Items: eachItem(fromWire), LastEvaluatedKey: fromWire }),
  Scan: (o) => mapped(o, { Items: eachItem(fromWire), LastEvaluatedKey: fromWire }),
  BatchGetItem: (o) =>
    mapped(o, { Responses: perTable(eachItem(fromWire)), UnprocessedKeys: perTable(keysAndAttributes(fromWire)) }),
  BatchWriteItem: (o) => mapped(o, { UnprocessedItems: perTable(eachItem(writeRequest(fromWire))) }),
  TransactWriteItems: (o) => o,
};

/** One attempt of a call, as interceptors see it: the operation and its document-shaped input. */
export interface DynamoCall {
  operation: string;
  input: unknown;
  /** 1 for the call's first attempt, 2... for its retries. */
  attempt: number;
}
export type Interceptor = (call: DynamoCall, next: () => Promise<unknown>) => Promise<unknown>;

/**
 * Around every attempt of every call, in the order added: tests count round trips, hold a transaction while a
 * competing change commits, or fail an attempt as DynamoDB would (a thrown error is retried or mapped as
 * DynamoDB's would be). Production adds none.
 */
export const dynamoInterceptors = new Set<Interceptor>();

async function attempt(call: DynamoCall): Promise<Doc> {
  const send = async () => {
    const out = await signedRequest(call.operation, JSON.stringify(inputs[call.operation]?.(call.input as Doc)));
    return outputs[call.operation]?.(out) ?? out;
  };
  const chain = [...dynamoInterceptors].reduceRight<() => Promise<unknown>>(
    (next, intercept) => () => intercept(call, next),
    send,
  );
  try {
    return (await chain()) as Doc;
  } catch (err) {
    // As the SDK exposes them: a cancelled transaction's reasons (each item's fate), and the item a failed
    // condition met when the call asked for it (`ReturnValuesOnConditionCheckFailure`).
    if (err instanceof DynamoError) {
      const { CancellationReasons, Item } = err.details;
      if (Array.isArray(CancellationReasons))
        Object.assign(err, {
          CancellationReasons: CancellationReasons.map((r) => mapped(r as Doc, { Item: fromWire })),
        });
      if (Item) Object.assign(err, { Item: fromWire(Item) });
    }
    throw err;
  }
}

async function send<I, O>(command: Command<I, O>): Promise<Output<O>> {
  const { DYNAMODB_MAX_ATTEMPTS } = config.table();
  for (let n = 1; ; n++) {
    try {
      return (await attempt({ operation: command.operation, input: command.input, attempt: n })) as Output<O>;
    } catch (err) {
      const e = err as { name?: string; httpStatusCode?: number; $retryable?: unknown };
      const retryable = RETRIED_ERRORS.has(e.name ?? '') || (e.httpStatusCode ?? 0) >= 500 || Boolean(e.$retryable);
      if (!retryable || n >= DYNAMODB_MAX_ATTEMPTS) throw err;
      // The SDK's standard mode: full jitter on an exponential base of 100 ms.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20_000, 100 * 2 ** n)));
    }
  }
}

/** One client per container: the signer and fetch's connections are reused across invocations. */
export const db = { send };
