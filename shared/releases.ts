// The port through which a change of access releases conversations. Conversations implement it
// (conversations/releases.ts: what a reach change releases, and a departed member's release); the members, teams
// and inboxes services that make those changes take it as a parameter, and their callers (functions/<area>/handler.ts,
// the SCIM users service, access requests) pass conversations' in. Here, below both, so conversations can read
// members, teams and inboxes without those services importing conversations back.
import type { TransactItem } from './db/ops';
import type { PermissionSet } from './permissions/catalog';
import type { AuditEntry } from './table/audit/entry';
import type { Member } from './table/members/member';
import type { WorkspaceRecord } from './table/workspaces/record';

/** What releasing asks of an inbox (a changed one: as the change leaves it). */
export interface InboxFacts {
  id: string;
  kind: 'shared' | 'personal';
  visibility: 'public' | 'private';
  ownerMemberId: string | null;
}

/** What a change of reach leaves: the members it may take reach from, as they will be once it commits. */
export interface ReachAfter {
  members: readonly Member[];
  /** The inboxes whose reach it may take from them; `all`: wherever they are assigned (a change of what they hold). */
  inboxIds: readonly string[] | 'all';
  /** Teams whose inboxes it sets (a deleted team: none), instead of what is stored. */
  teams?: ReadonlyMap<string, readonly string[]>;
  /** Custom roles whose permissions it sets (an edited role), instead of what is stored. */
  roles?: ReadonlyMap<string, PermissionSet>;
  /** Inboxes as it leaves them (one turned private), instead of what is stored. */
  inboxes?: ReadonlyMap<string, InboxFacts>;
}

export interface LostReach {
  /**
   * Items for the change's own transaction (at most `room`): its reach release marker, which has the grant sweep
   * check those members again (reach-release.ts), then 3 per conversation.
   */
  items: TransactItem[];
  /** Releases that did not fit: run them once the change committed. */
  afterCommit: () => Promise<void>;
}

/**
 * Why the member's conversations are released, which each step checks still holds: the member still deactivated
 * (at `deactivatedAt` when given: a member reactivated meanwhile, and assigned again, keeps that new assignment),
 * or its member item gone (removed: ids are never reused, so nothing can bring it back).
 */
export type ReleaseCause = { departure: 'deactivated'; deactivatedAt: string | undefined } | { departure: 'removed' };

export interface ReleasePass {
  /** Conversations the assignee index still listed as the member's. */
  found: number;
  /** Of those, unassigned by this pass (the others were no longer theirs, or the member was reactivated). */
  released: number;
}

export interface Releases {
  /**
   * The releases a change of reach carries: the conversations assigned to `after.members` that they can no longer
   * work in, as items for the change's transaction (`room`: how many it has left) and the rest to run after it.
   */
  lostReach(ws: WorkspaceRecord, actor: AuditEntry['actor'], after: ReachAfter, room: number): Promise<LostReach>;
  /** Unassigns every conversation of a deactivated or removed member, each step conditioned on `cause`. */
  assignments(wsId: string, memberId: string, actor: AuditEntry['actor'], cause: ReleaseCause): Promise<ReleasePass>;
}
