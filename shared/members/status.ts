// Deactivation and reactivation (PRODUCT.md §10). A deactivated member keeps its id, role (and the role's
// holder counter: the role cannot be deleted under it, so reactivation always finds it), teams, inboxes,
// conversations, authored messages and audit trail; it loses its access (the authorizer reads the
// membership pointer, marked in the same transaction as the member item), its seat (the seat counter moves in
// that transaction; the seat policy counts active members only) and its API keys' access (their lookups and
// records are suspended in that transaction too; reactivation does not revive them: whoever reactivates may be
// unable to grant their roles, so the member makes new ones). Conversations assigned to it are released right after, in conditional
// steps (each one an unassign on the condition it is still theirs, audited): until a step reaches a conversation it
// still shows the member as assignee, which grants nobody anything. An assignment racing the deactivation is
// conditioned on the assignee's member item, so it commits before (and is released) or fails after; that pass finds
// them through GSI1, which may not yet show an assignment committed just before, so the deactivation also writes a
// release marker on which the grant sweep runs the release again (shared/conversations/release.ts).

import type { Access } from '../access';
import { keyOwner, listApiKeys } from '../api-keys/repository';
import { now } from '../clock';
import { getItem, type TransactItem, transact } from '../db/ops';
import { Conflict, NotFound } from '../errors';
import { assertMayChangeStatus } from '../grants/guard';
import type { Releases } from '../releases';
import { seatStartOf } from '../seats/holders';
import { withSeat } from '../seats/limit';
import { apiKeyItemKey, apiKeyRecordKey } from '../table/api-keys/keys';
import type { ApiKeyRecord } from '../table/api-keys/record';
import { actorOf, auditItem } from '../table/audit/entry';
import { memberKey } from '../table/members/keys';
import * as repo from './repository';
import type { Member } from './schema';
import { assertNotManagedByScim } from './scim-settings';

/** API keys suspended with their member in one transaction (2 items each: DynamoDB's 100, with room). */
export const MAX_KEYS_PER_DEACTIVATION = 45;
/** A deactivation's own items besides its keys: member, pointer, seat counter, seat history, marker, audit. */
const DEACTIVATION_ITEMS = 6;
/** DynamoDB's items per transaction. */
const TRANSACTION_ITEMS = 100;

async function memberWithKeysCount(access: Access, memberId: string) {
  const item = await getItem<Record<string, unknown>>(memberKey(access.workspace.id, memberId), true);
  if (!item) throw new NotFound('Member');
  return { member: repo.toMember(item), keysCreated: repo.keysCreatedOf(item), seatFrom: seatStartOf(item) };
}

/** Keys that answer to the member: made by it, or by one of its keys (transitively). */
export function keysOf(memberId: string, keys: readonly ApiKeyRecord[]): ApiKeyRecord[] {
  const mine = new Set(keys.filter((k) => keyOwner(k) === memberId).map((k) => k.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const k of keys) {
      if (!mine.has(k.id) && k.createdBy.startsWith('apikey_') && mine.has(k.createdBy.slice('apikey_'.length))) {
        mine.add(k.id);
        grew = true;
      }
    }
  }
  return keys.filter((k) => mine.has(k.id));
}

/** The member's keys, if one deactivation can suspend them all besides `room` items of the request's other writes. */
async function memberKeys(wsId: string, memberId: string, room = 0) {
  const keys = keysOf(memberId, await listApiKeys(wsId));
  const max = Math.min(MAX_KEYS_PER_DEACTIVATION, Math.floor((TRANSACTION_ITEMS - DEACTIVATION_ITEMS - room) / 2));
  if (keys.length > max) {
    throw new Conflict(
      `The member's ${keys.length} API keys exceed the ${max} one change can suspend: revoke some first`,
    );
  }
  return keys;
}

const audit = (access: Access, action: string, target: Member, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'member', id: target.id },
    before,
    after,
  });

/**
 * Deactivates a member. `also`: other writes of the same request (a SCIM PUT's profile), in the deactivation's
 * transaction: a refused deactivation writes none of them.
 */
export async function deactivateMember(
  access: Access,
  memberId: string,
  releases: Releases,
  also: TransactItem[] = [],
): Promise<Member> {
  const { member, keysCreated, seatFrom } = await memberWithKeysCount(access, memberId);
  assertNotManagedByScim(access, member, 'status');
  await assertMayChangeStatus(access, member, 'deactivated');
  if (member.status === 'deactivated') {
    if (also.length > 0) await transact(also, 'The member changed meanwhile; reload and retry');
    // Asked again: finishes a release an earlier answer could not (503), and changes nothing else.
    await releases.assignments(access.workspace.id, member.id, actorOf(access), {
      departure: 'deactivated',
      deactivatedAt: member.deactivatedAt,
    });
    return member;
  }
  const keys = await memberKeys(access.workspace.id, member.id, also.length);
  const at = now().toISOString();
  await repo.deactivateMember(
    access.workspace.id,
    member,
    keysCreated,
    keys.flatMap((k) => [apiKeyItemKey(k.keyHash), apiKeyRecordKey(access.workspace.id, k.id)]),
    at,
    [
      audit(
        access,
        'member.deactivate',
        member,
        { status: 'active' },
        { status: 'deactivated', suspendedApiKeys: keys.map((k) => k.id) },
      ),
    ],
    seatFrom,
    also,
  );
  await releases.assignments(access.workspace.id, member.id, actorOf(access), {
    departure: 'deactivated',
    deactivatedAt: at,
  });
  return { ...member, status: 'deactivated', deactivatedAt: at, version: (member.version ?? 1) + 1 };
}

/**
 * Reactivates a member within the plan's seats. `also`: other writes of the same request (a SCIM PUT's profile), in
 * the reactivation's transaction: a reactivation refused (no seat left) writes none of them.
 */
export async function reactivateMember(access: Access, memberId: string, also: TransactItem[] = []): Promise<Member> {
  const { member } = await memberWithKeysCount(access, memberId);
  assertNotManagedByScim(access, member, 'status');
  await assertMayChangeStatus(access, member, 'reactivated');
  if (member.status !== 'deactivated') {
    if (also.length > 0) await transact(also, 'The member changed meanwhile; reload and retry');
    return member;
  }
  const at = now().toISOString();
  const max = access.plan.limits.seats ?? null;
  // The seat rule of every path that takes a seat (invite, accept, plan change): expired invitations give
  // theirs back before a full workspace is a `plan_limit`; a conflict for another reason stands.
  await withSeat(
    access.workspace.id,
    { planId: access.plan.id, max },
    'take',
    () =>
      repo.reactivateMember(
        access.workspace.id,
        member,
        max,
        at,
        [
          audit(
            access,
            'member.reactivate',
            member,
            { status: 'deactivated' },
            { status: 'active', roleId: member.roleId },
          ),
        ],
        also,
      ),
    `The plan's ${max} seats are all taken: ${member.id} cannot be reactivated`,
  );
  const { deactivatedAt: _d, ...rest } = member;
  return { ...rest, status: 'active', version: (member.version ?? 1) + 1 };
}
