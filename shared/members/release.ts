// Releasing a deactivated member's conversations: run right after the deactivation (shared/members/status.ts) and
// again by the grant sweep while the member's release marker is due (shared/grants/sweep.ts), because the first
// pass finds the conversations through GSI1, which may not yet show an assignment committed an instant before.
import { type AuditEntry, auditItem } from '../audit/audit';
import { now } from '../clock';
import * as conversations from '../conversations/repository';
import { tableName } from '../db/client';
import { putNew, type TransactItem } from '../db/ops';
import { Unavailable } from '../errors';
import { memberKey } from './keys';

export interface ReleasePass {
  /** Conversations the assignee index still listed as the member's. */
  found: number;
  /** Of those, unassigned by this pass (the others were no longer theirs, or the member no longer deactivated). */
  released: number;
}

/**
 * Each step is conditioned on the member still being deactivated (at `deactivatedAt` when given): a member
 * reactivated meanwhile, and assigned again, keeps that new assignment.
 */
function stillDeactivated(wsId: string, memberId: string, deactivatedAt: string | undefined): TransactItem {
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
 * and that the member is still deactivated; each step is audited (reason "assignee deactivated"). No assignment
 * to the member can commit after its deactivation (assignments are conditioned on the assignee's member item),
 * so the list only shrinks. A step that keeps meeting competing transactions is a 503 after a few tries.
 */
export async function releaseAssignments(
  wsId: string,
  memberId: string,
  actor: AuditEntry['actor'],
  deactivatedAt: string | undefined,
): Promise<ReleasePass> {
  const pass: ReleasePass = { found: 0, released: 0 };
  const guard = stillDeactivated(wsId, memberId, deactivatedAt);
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
          after: { assigneeId: null, reason: 'assignee deactivated' },
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
