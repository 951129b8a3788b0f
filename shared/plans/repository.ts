import { db, PutCommand, tableName } from '../db/client';
import { getItem } from '../db/ops';
import type { PlanCatalog } from '../permissions/plans';
import { planCatalogKey } from '../table/plans/keys';

export function getPlanCatalog(): Promise<PlanCatalog | undefined> {
  return getItem<PlanCatalog>(planCatalogKey(), false);
}

/** Seeds or replaces the plan catalog (local setup; in AWS a deploy-time custom resource does the same put). */
export async function putPlanCatalog(catalog: PlanCatalog): Promise<void> {
  await db.send(
    new PutCommand({ TableName: tableName, Item: { ...planCatalogKey(), entity: 'PlanCatalog', ...catalog } }),
  );
}
