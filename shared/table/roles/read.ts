// Reading one custom role. On this floor rather than in the roles repository because the guard
// (shared/grants/guard.ts) reads the role it judges while the roles service goes through the guard: both stand
// on this, and neither domain imports the other.
import { itemParser } from '../../db/items';
import { getItem } from '../../db/ops';
import { roleKey } from './keys';
import { RoleRecord } from './record';

export const parseRole: (item: Record<string, unknown>) => RoleRecord = itemParser(RoleRecord, 'Role');

export async function getRole(wsId: string, roleId: string, consistent = true): Promise<RoleRecord | undefined> {
  const item = await getItem<Record<string, unknown>>(roleKey(wsId, roleId), consistent);
  return item ? parseRole(item) : undefined;
}
