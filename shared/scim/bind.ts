// A provisioned member binds to the first sign-in whose verified email equals its userName (case-insensitive,
// PRODUCT.md §12). Until then its membership pointer is keyed by a placeholder user id (`scim:<memberId>`, which no
// token subject can take) and a bind item waits under the userName's email key. At sign-in (the console's list of
// the caller's workspaces), each waiting member of that verified email is bound in one transaction: the pointer
// moves to the user, the member item takes the user id (conditioned on still holding the placeholder), the bind
// item goes, audited. A user already a member of that workspace is not bound (its pointer exists): the member
// stays waiting, as an invitation for an existing member would be refused.
import { actorOf, auditItem } from '../audit/audit';
import { tableName } from '../db/client';
import { getItem, putNew, queryAll, transact } from '../db/ops';
import { Conflict } from '../errors';
import { logger } from '../http/observability';
import { emailKeyOf } from '../table/members/items';
import { memberKey, membershipKey } from '../table/members/keys';
import { memberVersionBump } from '../table/members/version';
import { unboundUserId } from '../table/scim/keys';

type Item = Record<string, unknown>;

export async function bindProvisionedMembers(user: {
  userId: string;
  email: string | null;
  emailVerified: boolean;
}): Promise<number> {
  if (!user.emailVerified || !user.email) return 0;
  const waiting = await queryAll({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': `SCIMBIND#${emailKeyOf(user.email)}` },
    ConsistentRead: true,
  });
  let bound = 0;
  for (const w of waiting) {
    const wsId = w.workspaceId as string;
    const memberId = w.memberId as string;
    const placeholder = unboundUserId(memberId);
    const pointer = await getItem<Item>(membershipKey(placeholder, wsId));
    if (!pointer) continue;
    try {
      await transact(
        [
          {
            Delete: {
              TableName: tableName,
              Key: { PK: w.PK as string, SK: w.SK as string },
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: membershipKey(placeholder, wsId),
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          putNew({ ...pointer, ...membershipKey(user.userId, wsId), userId: user.userId }),
          {
            Update: {
              TableName: tableName,
              Key: memberKey(wsId, memberId),
              UpdateExpression: `SET userId = :u, ${memberVersionBump.set}`,
              ConditionExpression: 'userId = :p',
              ExpressionAttributeValues: { ':u': user.userId, ':p': placeholder, ...memberVersionBump.values },
            },
          },
          putNew(
            auditItem({
              workspaceId: wsId,
              actor: actorOf({ memberId, userId: user.userId, source: 'app' }),
              action: 'member.scim.bind',
              target: { type: 'member', id: memberId },
              before: { userId: placeholder },
              after: { userId: user.userId },
            }),
          ),
        ],
        'Already bound, or the user is already a member of the workspace',
      );
      bound++;
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      logger.info('SCIM member not bound', { memberId, wsId });
    }
  }
  return bound;
}
