import { ulid } from 'ulid';
import { auditKey, auditTargetIndexKey } from './keys';

export type AuditSource = 'app' | 'apiKey' | 'scim';

export interface AuditEntry {
  workspaceId: string;
  /** `tokenId`: the SCIM token that made a `scim` change (a credential of the workspace: no member, no user). */
  actor: { memberId: string | null; userId: string | null; source: AuditSource; tokenId?: string };
  action: string;
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
}

/** An append-only audit item, to be written in the same transaction as the change it records. */
export function auditItem(entry: AuditEntry, now = new Date()) {
  const id = ulid(now.getTime());
  return {
    ...auditKey(entry.workspaceId, id),
    ...auditTargetIndexKey(entry.workspaceId, entry.target, id),
    entity: 'AuditEntry',
    id,
    ...entry,
    at: now.toISOString(),
  };
}

/** Who did it, as the audit log records it: the one way to name an actor. */
export function actorOf(a: {
  memberId: string;
  userId: string | null;
  source: AuditSource;
  scimTokenId?: string;
}): AuditEntry['actor'] {
  if (a.source === 'scim') return { memberId: null, userId: null, source: 'scim', tokenId: a.scimTokenId ?? '' };
  return { memberId: a.memberId, userId: a.userId, source: a.source };
}
