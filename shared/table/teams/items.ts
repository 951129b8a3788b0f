// Team items another entity's write carries (removing a member takes them out of their teams).
import { tableName } from '../../db/client';
import { teamKey } from './keys';

/** For removing a member: take them out of each of their teams in the same transaction. */
export function removeFromTeams(wsId: string, memberId: string, teamIds: readonly string[]) {
  return teamIds.map((teamId) => ({
    Update: {
      TableName: tableName,
      Key: teamKey(wsId, teamId),
      UpdateExpression: 'DELETE memberIds :m ADD version :one',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':m': new Set([memberId]), ':one': 1 },
    },
  }));
}
