// The grant sweep (scheduled, like the seat reconciliation): ends what time-bound grants left behind. Decisions
// never wait for it (every decision compares `until` with the clock), so it is housekeeping and history: it
// moves members whose role's term is over back to the role held before (which a running term keeps from being
// deleted: it counts as a holder), drops expired extra grants, and records one `grant.expired` audit entry per grant
// ended, in the same transaction, conditioned on the member's version (a racing change: retried next run).
// Walk: the sparse GSI2 holds exactly the member items carrying a term or grants, keyed by the nearest end
// (`GRANTEXP#<shard>` / `<until>#<ws>#<member>`, moved in every write of grants or terms: members/repository).
// Each shard is Queried for what is due (`GSI2SK` at or before now), page by page; the index is eventually
// consistent and holds keys only, so each member is re-read strongly consistent and decided on that read (a
// member changed since the index saw it is simply not due, or is changed on its fresh version). Scoped to some
// workspaces (tests, POST /dev/sweep-grants), the same Queries keep those workspaces' members only.
// The same run then walks the release markers (`RELEASE#<shard>` in GSI2) of deactivated and removed members, and
// those of changes that took members' reach of inboxes: see release-pass.ts.
// What a due entry does is in grant-expiry.ts and release-pass.ts, loaded by the first one found: most runs find
// nothing due, and their cold start then loads neither the member, permission and release modules nor their schemas
// (issue 19).
import { nowMs } from '../clock';
import { dueKeys } from '../db/due-index';
import { GRANT_EXPIRY_SHARDS, grantExpiryPk, RELEASE_SHARDS, releaseDuePk } from '../table/members/keys';
import { wsPk } from '../table/workspaces/keys';
import type { WorkspaceRecord } from '../workspaces/repository';
import type { GrantSweepReport } from './report';

export type { GrantSweepReport } from './report';

/**
 * Keys of the items a sparse GSI2 family holds at or before `nowIso` (shared/db/due-index.ts): member items whose
 * nearest grant end has come, or release markers.
 */
const due = dueKeys;

export async function sweepGrants(options: { workspaceIds?: readonly string[] } = {}): Promise<GrantSweepReport> {
  const report: GrantSweepReport = {
    checked: 0,
    expired: 0,
    rolesReverted: 0,
    assignmentsReleased: 0,
    failed: 0,
    failures: [],
  };
  const workspaces = new Map<string, WorkspaceRecord>();
  const nowIso = new Date(nowMs()).toISOString();
  const scope = options.workspaceIds?.map(wsPk);
  // The release markers' first pages are asked with the grant ends' (one wait instead of two on a run with nothing
  // due), though the markers are acted on after: the grant pass writes none (its releases are decided minutes after
  // the end they follow, with the index caught up: grant-expiry.ts), and each marker and its members are read again
  // before anything is done.
  const releases = due(releaseDuePk, RELEASE_SHARDS, nowIso, scope);
  const firstRelease = releases.next();
  firstRelease.catch(() => {});
  let expiry: typeof import('./grant-expiry') | undefined;
  for await (const key of due(grantExpiryPk, GRANT_EXPIRY_SHARDS, nowIso, scope)) {
    expiry ??= await import('./grant-expiry');
    await expiry.expireDue(key, report, workspaces);
  }
  // The second release pass over the release markers due (release-pass.ts).
  let pass: typeof import('./release-pass') | undefined;
  for (let next = await firstRelease; !next.done; next = await releases.next()) {
    pass ??= await import('./release-pass');
    await pass.releaseDue(next.value, report);
  }
  return report;
}
