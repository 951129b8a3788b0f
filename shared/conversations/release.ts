// Releasing the conversations of a member who can no longer work them: run right after its deactivation
// (shared/members/status.ts) or removal (shared/members/service.ts), and again by the grant sweep while the member's
// release marker is due (shared/jobs/grant-sweep.ts), because the first pass finds the conversations through GSI1, which
// may not yet show an assignment committed an instant before.

import { now } from '../clock';
import { tableName } from '../db/client';
import { putNew, type TransactItem } from '../db/ops';
import { Unavailable } from '../errors';
import type { ReleaseCause, ReleasePass } from '../releases';
import { type AuditEntry, auditItem } from '../table/audit/entry';
import { type Departure, memberKey } from '../table/members/keys';
import * as conversations from './repository';

const REASON: Record<Departure, string> = { deactivated: 'assignee deactivated', removed: 'assignee removed' };

function stillGone(wsId: string, memberId: string, cause: ReleaseCause): TransactItem {
  if (cause.departure === 'removed') {
    return {
      ConditionCheck: {
        TableName: tableName,
        Key: memberKey(wsId, memberId),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }
  const { deactivatedAt } = cause;
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: memberKey(wsId, memberId),
      ConditionExpression: `#st = :deactivated${deactivatedAt === undefined ? '' : ' AND deactivatedAt = :at'}`,
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: {
        ':deactivated': 'deactivated',
        ...(deactivatedAt === undefined ? {} : { ':at': deactivatedAt }),
      },
    },
  };
}

/**
 * Unassigns every conversation the assignee index lists for the member, one conditional step each, on the
 * condition that it is still theirs (not on its version: messages sent in it meanwhile do not stop the release)
 * and on the cause (`stillGone`); each step is audited (reason "assignee deactivated" / "assignee removed"). No
 * assignment to the member can commit after its deactivation or removal (assignments are conditioned on the
 * assignee's member item being there at the version they read), so the list only shrinks. A step that keeps
 * meeting competing transactions is a 503 after a few tries.
 */
export async function releaseAssignments(
  wsId: string,
  memberId: string,
  actor: AuditEntry['actor'],
  cause: ReleaseCause,
): Promise<ReleasePass> {
  const pass: ReleasePass = { found: 0, released: 0 };
  const guard = stillGone(wsId, memberId, cause);
  let cursor: string | undefined;
  do {
    const page = await conversations.listAssigned(wsId, memberId, { limit: 25, ...(cursor ? { cursor } : {}) });
    for (const c of page.items) {
      pass.found += 1;
      const audit = putNew(
        auditItem({
          workspaceId: wsId,
          actor,
          action: 'conversation.unassign',
          target: { type: 'conversation', id: c.id },
          before: { assigneeId: memberId },
          after: { assigneeId: null, reason: REASON[cause.departure] },
        }),
      );
      for (let attempt = 1; ; attempt++) {
        try {
          if (await conversations.releaseAssignee(wsId, c.id, memberId, now().toISOString(), [guard, audit])) {
            pass.released += 1;
          }
          break;
        } catch (err) {
          if (!(err instanceof Unavailable) || attempt >= 3) throw err;
        }
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pass;
}
