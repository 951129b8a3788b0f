// Powertools idempotency's records, kept in the table through the table's client: the persistence layer Powertools
// ships (`DynamoDBPersistenceLayer`) brings the SDK's DynamoDB client, which the functions no longer load (issue
// 19). Same item shape, conditions and errors as that layer, so the idempotency utility behaves as documented:
// one partition per use (`IDEMPOTENCY#<use>`), the hashed idempotency key as SK, expiry in `ttl`.
import {
  PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS as ATTR,
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { DeleteCommand, db, GetCommand, PutCommand, tableName, UpdateCommand } from './client';

const EXPIRY = 'ttl';

export class TableIdempotencyStore extends BasePersistenceLayer {
  constructor(private readonly partition: string) {
    super();
  }

  private key(idempotencyKey: string) {
    return { PK: this.partition, SK: idempotencyKey };
  }

  private record(item: Record<string, unknown>): IdempotencyRecord {
    return new IdempotencyRecord({
      idempotencyKey: item.PK as string,
      sortKey: item.SK as string,
      status: item[ATTR.statusAttr] as never,
      expiryTimestamp: item[EXPIRY] as number | undefined,
      inProgressExpiryTimestamp: item[ATTR.inProgressExpiryAttr] as number | undefined,
      responseData: item[ATTR.dataAttr] as never,
      payloadHash: item[ATTR.validationKeyAttr] as string | undefined,
    });
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: this.key(idempotencyKey), ConsistentRead: true }),
    );
    if (!Item) throw new IdempotencyItemNotFoundError();
    return this.record(Item);
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const item: Record<string, unknown> = {
      ...this.key(record.idempotencyKey),
      [EXPIRY]: record.expiryTimestamp,
      [ATTR.statusAttr]: record.getStatus(),
    };
    if (record.inProgressExpiryTimestamp !== undefined)
      item[ATTR.inProgressExpiryAttr] = record.inProgressExpiryTimestamp;
    if (this.isPayloadValidationEnabled() && record.payloadHash !== undefined)
      item[ATTR.validationKeyAttr] = record.payloadHash;
    const now = Date.now();
    try {
      // A first use of the key, an expired record, or an attempt in progress whose Lambda ran out of time.
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ExpressionAttributeNames: {
            '#id': 'PK',
            '#expiry': EXPIRY,
            '#in_progress_expiry': ATTR.inProgressExpiryAttr,
            '#status': ATTR.statusAttr,
          },
          ExpressionAttributeValues: {
            ':now': now / 1000,
            ':now_in_millis': now,
            ':inprogress': IdempotencyRecordStatus.INPROGRESS,
          },
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiry < :now OR ' +
            '(#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      const e = err as { name?: string; Item?: Record<string, unknown> };
      if (e.name !== 'ConditionalCheckFailedException') throw err;
      throw new IdempotencyItemAlreadyExistsError(
        `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
        e.Item && this.record(e.Item),
      );
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const names: Record<string, string> = { '#expiry': EXPIRY, '#status': ATTR.statusAttr };
    const values: Record<string, unknown> = { ':expiry': record.expiryTimestamp, ':status': record.getStatus() };
    const set = ['#expiry = :expiry', '#status = :status'];
    if (record.responseData !== undefined) {
      set.push('#response_data = :response_data');
      names['#response_data'] = ATTR.dataAttr;
      values[':response_data'] = record.responseData;
    }
    if (this.isPayloadValidationEnabled()) {
      set.push('#validation_key = :validation_key');
      names['#validation_key'] = ATTR.validationKeyAttr;
      values[':validation_key'] = record.payloadHash;
    }
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: this.key(record.idempotencyKey),
        UpdateExpression: `SET ${set.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await db.send(new DeleteCommand({ TableName: tableName, Key: this.key(record.idempotencyKey) }));
  }
}
