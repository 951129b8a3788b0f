// The local plan catalog seed (scripts/local/table-setup.ts) runs whenever a test file starts its local API, in
// parallel with other files on one DynamoDB Local: it restores the default plans and never removes a plan
// another file added for itself (scim-seats.test.ts adds one with SCIM and a seat limit).
import { describe, expect, it } from 'vitest';
import { seedPlans } from '../../scripts/local/table-setup';
import { db, tableName, UpdateCommand } from '../../shared/db/client';
import { DEFAULT_PLANS } from '../../shared/permissions/plans';
import { getPlanCatalog } from '../../shared/plans/repository';
import { planCatalogKey } from '../../shared/table/plans/keys';

describe('seeding the local plan catalog', () => {
  it('keeps a plan added beside the defaults, and puts back a default plan that was changed', async () => {
    const id = `seedKeeps${Date.now().toString(36)}`;
    const own = { id, name: 'Own', features: ['scim'], limits: { customRoles: null, seats: 3 } };
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: planCatalogKey(),
        UpdateExpression: 'SET plans.#own = :own, plans.#basic.#name = :changed',
        ExpressionAttributeNames: { '#own': id, '#basic': 'basic', '#name': 'name' },
        ExpressionAttributeValues: { ':own': own, ':changed': 'Changed' },
      }),
    );
    await seedPlans();
    const catalog = await getPlanCatalog();
    expect(catalog?.plans[id]).toEqual(own);
    expect(catalog?.plans.basic).toEqual(DEFAULT_PLANS.plans.basic);
    for (const plan of Object.keys(DEFAULT_PLANS.plans))
      expect(catalog?.plans[plan]).toEqual(DEFAULT_PLANS.plans[plan]);
  });
});
