// A provisioned member binds to the first sign-in whose verified email equals its userName (case-insensitive,
// PRODUCT.md §12). Until then its membership pointer is keyed by a placeholder user id (`scim:<memberId>`, which no
// token subject can take) and a bind item waits under the userName's email key.
//
// Where: on the first authenticated request, whatever the route. The authorizer binds when a signed-in user has no
// standing in the workspace it calls (only then: one Query of the bind items of its email in that workspace) and
// decides again; the console's list of the caller's workspaces binds every workspace waiting for the email.
//
// Binding is the acceptance of an invitation the identity provider sent: the workspace's sign-in rules as they are
// now apply as they do on accept (shared/invitations/rules.ts): `inviteDomains` (the verified email's domain) and
// `requireIdentityProvider` (the token's issuer, `idp` or `amr`). A sign-in they refuse binds nothing (the member
// keeps waiting for a sign-in they accept). Each waiting member is bound in one transaction: the pointer moves to the
// user, the member item takes the user id (conditioned on still holding the placeholder), the bind item goes,
// audited. A user already a member of that workspace is not bound (its pointer exists): the member stays waiting, as
// an invitation for an existing member would be refused.
//
// Plain SDK calls and light imports only: the authorizer bundles this file (ENGINEERING.md's bundle budget).
import { BatchGetCommand, db, QueryCommand, TransactWriteCommand, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { Conflict, InviteRuleViolated } from '../errors';
import { assertIdentityProvider, assertInviteDomain } from '../invitations/rules';
import { actorOf, auditItem } from '../table/audit/entry';
import { emailKeyOf } from '../table/members/items';
import { memberKey, membershipKey } from '../table/members/keys';
import { memberVersionBump } from '../table/members/version';
import { unboundUserId } from '../table/scim/keys';
import { workspaceKey } from '../table/workspaces/keys';

type Item = Record<string, unknown>;

export interface SignedInUser {
  userId: string;
  email: string | null;
  emailVerified: boolean;
  /** How the user signed in: what `requireIdentityProvider` matches (absent: matches no listed provider). */
  signIn?: { issuer: string | null; idp: string | null; amr: string[] } | undefined;
}

export interface BindOutcome {
  bound: string[];
  /** Members not bound, and why (a sign-in rule of the workspace, or the user already a member there). */
  refused: { workspaceId: string; memberId: string; reason: string }[];
}

/** The items at these keys (absent ones undefined), in one BatchGetItem (the authorizer's one read action). */
const getAll = async (keys: { PK: string; SK: string }[]): Promise<(Item | undefined)[]> => {
  try {
    const res = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
    );
    if (Object.keys(res.UnprocessedKeys ?? {}).length > 0) return mapDbError({ name: 'ThrottlingException' });
    const items = (res.Responses?.[tableName] ?? []) as Item[];
    return keys.map((k) => items.find((i) => i.PK === k.PK && i.SK === k.SK));
  } catch (err) {
    return mapDbError(err);
  }
};

/**
 * Binds the members waiting for this user's verified email: in workspace `wsId` only when given (the authorizer's
 * miss), else in every workspace.
 */
export async function bindProvisionedMembers(user: SignedInUser, wsId?: string): Promise<BindOutcome> {
  const outcome: BindOutcome = { bound: [], refused: [] };
  if (!user.emailVerified || !user.email) return outcome;
  let waiting: Item[];
  try {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: wsId ? 'PK = :pk AND begins_with(SK, :ws)' : 'PK = :pk',
        ExpressionAttributeValues: {
          ':pk': `SCIMBIND#${emailKeyOf(user.email)}`,
          ...(wsId ? { ':ws': `WS#${wsId}#` } : {}),
        },
        ConsistentRead: true,
        // One email is waited for by a few workspaces at most; a page is plenty (the rest bind on their own miss).
        Limit: 100,
      }),
    );
    waiting = (res.Items ?? []) as Item[];
  } catch (err) {
    return mapDbError(err);
  }
  for (const w of waiting) {
    const ws = w.workspaceId as string;
    const memberId = w.memberId as string;
    const refuse = (reason: string) => outcome.refused.push({ workspaceId: ws, memberId, reason });
    const placeholder = unboundUserId(memberId);
    const [pointer, workspace] = await getAll([membershipKey(placeholder, ws), workspaceKey(ws)]);
    if (!pointer || !workspace) continue;
    const settings = (workspace.settings ?? {}) as { inviteDomains?: string[]; requireIdentityProvider?: string[] };
    try {
      assertInviteDomain(settings, user.email, 'accept');
      assertIdentityProvider(settings, user.signIn);
    } catch (err) {
      if (!(err instanceof InviteRuleViolated)) throw err;
      refuse(err.message);
      continue;
    }
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
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
                Key: membershipKey(placeholder, ws),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...pointer, ...membershipKey(user.userId, ws), userId: user.userId },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: memberKey(ws, memberId),
                UpdateExpression: `SET userId = :u, ${memberVersionBump.set}`,
                ConditionExpression: 'userId = :p',
                ExpressionAttributeValues: { ':u': user.userId, ':p': placeholder, ...memberVersionBump.values },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: auditItem({
                  workspaceId: ws,
                  actor: actorOf({ memberId, userId: user.userId, source: 'app' }),
                  action: 'member.scim.bind',
                  target: { type: 'member', id: memberId },
                  before: { userId: placeholder },
                  after: { userId: user.userId },
                }),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
      outcome.bound.push(memberId);
    } catch (err) {
      try {
        mapDbError(err, 'Already bound, or the user is already a member of the workspace');
      } catch (mapped) {
        if (!(mapped instanceof Conflict)) throw mapped;
        refuse('already bound, or the user is already a member of the workspace');
      }
    }
  }
  return outcome;
}
