import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

type Image = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

/**
 * A table stream image as an item, to be parsed with its entity's record schema like any item read. aws-lambda's
 * and the SDK's AttributeValue are the same wire type, typed apart.
 */
export const imageOf = (image: Image): Record<string, unknown> => unmarshall(image as Record<string, AttributeValue>);
