import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { planCatalogKey } from './keys';
import type { PlanCatalog } from './plans';

export async function getPlanCatalog(): Promise<PlanCatalog | undefined> {
  try {
    const res = await db.send(new GetCommand({ TableName: tableName, Key: planCatalogKey() }));
    return res.Item as PlanCatalog | undefined;
  } catch (err) {
    return mapDbError(err);
  }
}

/** Seeds or replaces the plan catalog (local setup; in AWS a deploy-time custom resource does the same put). */
export async function putPlanCatalog(catalog: PlanCatalog): Promise<void> {
  await db.send(
    new PutCommand({ TableName: tableName, Item: { ...planCatalogKey(), entity: 'PlanCatalog', ...catalog } }),
  );
}
