import { db, tableName, UpdateCommand } from '../db/client';
import { getItem } from '../db/ops';
import type { PlanCatalog } from '../permissions/plans';
import { planCatalogKey } from '../table/plans/keys';

export function getPlanCatalog(): Promise<PlanCatalog | undefined> {
  return getItem<PlanCatalog>(planCatalogKey(), false);
}

/**
 * Seeds the plan catalog locally (in AWS a deploy-time custom resource puts it): writes the plans it names and
 * keeps any other plan already in the item. Test files start their local API in parallel against one DynamoDB
 * Local, and a file that added a plan of its own must not lose it when another file starts.
 */
export async function seedPlanCatalog(catalog: PlanCatalog): Promise<void> {
  const ids = Object.keys(catalog.plans);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: planCatalogKey(),
      // One update: the item and its map are made if absent, and each named plan is set in place.
      UpdateExpression: `SET entity = :entity, version = :version, plans = if_not_exists(plans, :none)`,
      ExpressionAttributeValues: { ':entity': 'PlanCatalog', ':version': catalog.version, ':none': {} },
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: planCatalogKey(),
      UpdateExpression: `SET ${ids.map((_, i) => `plans.#p${i} = :p${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(ids.map((id, i) => [`#p${i}`, id])),
      ExpressionAttributeValues: Object.fromEntries(ids.map((id, i) => [`:p${i}`, catalog.plans[id]])),
    }),
  );
}
