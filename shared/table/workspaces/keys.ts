import { shardOf } from '../../db/shard';

/** A workspace's partition: every item of the workspace lives under it. */
export const wsPk = (wsId: string) => `WS#${wsId}`;
export const workspaceKey = (wsId: string) => ({ PK: wsPk(wsId), SK: 'META' });

/** One kind of item in a workspace's partition: what a list queries, and what its cursors must name. */
export const wsCollection = (wsId: string, prefix: string) => ({ pk: wsPk(wsId), prefix });

/**
 * The workspace directory: every workspace item carries its entry in the sparse GSI2 from the transaction that
 * creates it, so jobs that visit every workspace (the seat reconciliation) Query the directory's shards and then
 * each workspace's partition, reading what billing needs and nothing of the rest of the table (a Scan's cost
 * follows the whole table). Spread over shards by a hash of the id, so creations do not all hit one partition.
 */
export const WORKSPACE_DIRECTORY_SHARDS = 8;
export const workspaceDirectoryPk = (shard: number) => `WORKSPACES#${shard}`;
export const workspaceDirectoryKey = (wsId: string) => ({
  GSI2PK: workspaceDirectoryPk(shardOf(wsId, WORKSPACE_DIRECTORY_SHARDS)),
  GSI2SK: wsId,
});
