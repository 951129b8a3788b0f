// The grant sweep (scheduled, like the seat reconciliation): ends what time-bound grants left behind. Decisions
// never wait for it (every decision compares `until` with the clock), so it is housekeeping and history: it
// moves members whose role's term is over back to the role held before (which a running term keeps from being
// deleted: it counts as a holder), drops expired extra grants, and records one `grant.expired` audit entry per grant
// ended, in the same transaction, conditioned on the member's version (a racing change: retried next run).
// Walk: a Scan of the table filtered to member items carrying a term or grants (projected), or, scoped to
// some workspaces, a Query of their member items with the same filter.
import { QueryCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { auditItem } from '../audit/audit';
import { nowMs } from '../clock';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { Conflict } from '../errors';
import { expireMemberGrants, toMember } from '../members/repository';
import { wsPk } from '../workspaces/keys';
import { effectiveGrants } from './effective';

type Item = Record<string, unknown>;

export interface GrantSweepReport {
  checked: number;
  expired: number;
  rolesReverted: number;
  failed: number;
  failures: { workspaceId: string; memberId: string; error: string }[];
}

const FILTER = {
  FilterExpression: '#en = :member AND (attribute_exists(roleUntil) OR size(grants) > :zero)',
  ExpressionAttributeNames: { '#en': 'entity' },
  ExpressionAttributeValues: { ':member': 'Member', ':zero': 0 },
};

async function* candidates(workspaceIds?: readonly string[]): AsyncGenerator<Item> {
  try {
    if (workspaceIds) {
      for (const ws of workspaceIds) {
        let start: Record<string, unknown> | undefined;
        do {
          const res = await db.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
              ...FILTER,
              ExpressionAttributeValues: { ...FILTER.ExpressionAttributeValues, ':pk': wsPk(ws), ':prefix': 'MEMBER#' },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          );
          yield* (res.Items ?? []) as Item[];
          start = res.LastEvaluatedKey;
        } while (start);
      }
      return;
    }
    let start: ScanCommandInput['ExclusiveStartKey'];
    do {
      const res = await db.send(
        new ScanCommand({ TableName: tableName, ...FILTER, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      yield* (res.Items ?? []) as Item[];
      start = res.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    mapDbError(err);
  }
}

const SYSTEM = { memberId: null, userId: null, source: 'app' as const };

export async function sweepGrants(options: { workspaceIds?: readonly string[] } = {}): Promise<GrantSweepReport> {
  const report: GrantSweepReport = { checked: 0, expired: 0, rolesReverted: 0, failed: 0, failures: [] };
  for await (const item of candidates(options.workspaceIds)) {
    report.checked += 1;
    const wsId = String(item.workspaceId);
    const member = toMember(item);
    const at = nowMs();
    const eff = effectiveGrants(member, at);
    const ended = (member.grants ?? []).filter((g) => !eff.grants.some((k) => k.id === g.id));
    const roleOver = member.roleUntil !== undefined && member.previousRoleId !== undefined && !eff.roleGrant;
    if (ended.length === 0 && !roleOver) continue;
    try {
      // The previous role cannot be gone: a running term holds it (its holder counter), like the role itself.
      const revertTo = roleOver ? member.previousRoleId : undefined;
      const audits = [
        ...ended.map((g) =>
          auditItem({
            workspaceId: wsId,
            actor: SYSTEM,
            action: 'grant.expired',
            target: { type: 'member', id: member.id },
            before: { grantId: g.id, permissions: g.permissions, until: g.until },
            after: null,
          }),
        ),
        ...(roleOver
          ? [
              auditItem({
                workspaceId: wsId,
                actor: SYSTEM,
                action: 'grant.expired',
                target: { type: 'member', id: member.id },
                before: { roleId: member.roleId, until: member.roleUntil },
                after: { roleId: revertTo },
              }),
            ]
          : []),
      ];
      await expireMemberGrants(wsId, member, eff.grants, revertTo, audits);
      report.expired += audits.length;
      if (revertTo !== undefined) report.rolesReverted += 1;
    } catch (err) {
      report.failed += 1;
      report.failures.push({
        workspaceId: wsId,
        memberId: member.id,
        error: err instanceof Conflict ? 'changed meanwhile' : (err as Error).message,
      });
    }
  }
  return report;
}
