// Reading the workspace item, which nearly every service needs (its plan, its settings). On this floor so that
// a service the workspaces domain itself calls (invitations, through roles) reads it without importing back up.
import { parseItem } from '../../db/items';
import { getItem } from '../../db/ops';
import { workspaceKey } from './keys';
import { WorkspaceRecord } from './record';

export async function getWorkspace(wsId: string, consistent = false): Promise<WorkspaceRecord | undefined> {
  const item = await getItem<Record<string, unknown>>(workspaceKey(wsId), consistent);
  return item ? parseItem(WorkspaceRecord, item, 'Workspace') : undefined;
}
