// What AuthZEN decisions read, read in waves of BatchGetItem: every question of a batch says which items it
// needs (members, memberships, API keys, roles, teams, inboxes, company-admin grants, conversations,
// contacts), the missing ones are read together, and the questions are asked again until nothing is
// missing. So a batch of 100 evaluations costs as many round trips as its longest chain of dependencies
// (user → membership → member → teams: 3), never one per item. Items are parsed with zod on the way in.
import * as z from 'zod';
import { BatchGetCommand, db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { itemParser } from '../db/items';
import { queryCollection } from '../db/ops';
import { InternalError } from '../errors';
import { InboxRecord } from '../inboxes/repository';
import { toMember } from '../members/repository';
import type { Member } from '../members/schema';
import { APIKEY_PREFIX, apiKeyRecordKey } from '../table/api-keys/keys';
import { ApiKeyRecord } from '../table/api-keys/record';
import { contactKey } from '../table/contacts/keys';
import { conversationKey } from '../table/conversations/keys';
import { INBOX_PREFIX, inboxKey } from '../table/inboxes/keys';
import { MembershipRecord } from '../table/members/items';
import { memberKey, membershipKey } from '../table/members/keys';
import { companyAdminGrantKey } from '../table/organizations/keys';
import { ROLE_PREFIX, roleKey } from '../table/roles/keys';
import { RoleRecord } from '../table/roles/record';
import { teamKey } from '../table/teams/keys';
import { TeamRecord } from '../table/teams/record';
import { wsCollection } from '../table/workspaces/keys';
import type { WorkspaceRecord } from '../workspaces/repository';

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

// Decisions read members, memberships, keys, roles, teams and inboxes as their repositories do, with the same
// record schemas: an item the rest of the API would refuse is not decided on here either.
const StringSet = z.preprocess(
  (v) => (v === undefined || v === null ? [] : v instanceof Set ? [...v].sort() : v),
  z.array(z.string()),
);
const GrantItem = z.object({ orgId: z.string(), adminSince: z.string().optional() });
/** What a decision needs of a conversation (shared/conversations stores more). */
const ConversationItem = z.object({
  id: z.string(),
  inboxId: z.string(),
  assigneeId: z.string().nullable().catch(null),
});
/** What a decision needs of a contact (shared/contacts stores more). */
const ContactItem = z.object({ id: z.string(), createdBy: z.string(), inboxIds: StringSet });

export type MemberFacts = Member;
export type TeamFacts = TeamRecord;
export type ApiKeyFacts = ApiKeyRecord;
export type ConversationFacts = z.infer<typeof ConversationItem>;
export type ContactFacts = z.infer<typeof ContactItem>;

export const toMemberFacts = (item: Item): MemberFacts => {
  // A term is a pair: half of one is no term (effective grants ignore it; neither does anything else here).
  const { roleUntil, previousRoleId, ...rest } = toMember(item);
  return { ...rest, ...(roleUntil !== undefined && previousRoleId !== undefined ? { roleUntil, previousRoleId } : {}) };
};
export const toRoleRecord: (item: Item) => RoleRecord = itemParser(RoleRecord, 'Role');
export const toInbox = itemParser(InboxRecord, 'Inbox');
export const toApiKey = itemParser(ApiKeyRecord, 'API key');
const toMembership = itemParser(MembershipRecord, 'Membership');
const toTeam = itemParser(TeamRecord, 'Team');
const toConversation = itemParser(ConversationItem, 'Conversation');
const toContact = itemParser(ContactItem, 'Contact');
const toGrant = itemParser(GrantItem, 'Grant');

const id = (k: Key) => `${k.PK}\u0000${k.SK}`;
/** Keys per BatchGetItem call (DynamoDB's ceiling); a wave's calls run in parallel. */
const BATCH = 100;

/**
 * The items a set of questions about one workspace needs. Getters answer the item, `null` when it does not
 * exist, or `undefined` when it was not read yet, which also asks for it in the next wave (`fill`).
 */
export class Facts {
  private readonly items = new Map<string, Item | null>();
  private readonly wanted = new Map<string, Key>();
  private readonly parsed = new Map<string, unknown>();
  /** DynamoDB round trips (BatchGetItem waves) this set of facts cost. */
  waves = 0;

  constructor(
    readonly ws: WorkspaceRecord,
    private readonly consistent = true,
  ) {}

  get pending(): boolean {
    return this.wanted.size > 0;
  }

  /** An item known from elsewhere (a page of a Query): no read needed. */
  prime(key: Key, item: Item): void {
    this.items.set(id(key), item);
  }

  private get<T>(key: Key, map: (i: Item) => T): T | null | undefined {
    const k = id(key);
    const item = this.items.get(k);
    if (item === undefined) {
      this.wanted.set(k, key);
      return undefined;
    }
    if (item === null) return null;
    if (!this.parsed.has(k)) this.parsed.set(k, map(item));
    return this.parsed.get(k) as T;
  }

  member = (memberId: string) => this.get(memberKey(this.ws.id, memberId), toMemberFacts);
  membership = (userId: string) => this.get(membershipKey(userId, this.ws.id), toMembership);
  apiKey = (keyId: string) => this.get(apiKeyRecordKey(this.ws.id, keyId), toApiKey);
  customRole = (roleId: string) => this.get(roleKey(this.ws.id, roleId), toRoleRecord);
  team = (teamId: string) => this.get(teamKey(this.ws.id, teamId), toTeam);
  inbox = (inboxId: string) => this.get(inboxKey(this.ws.id, inboxId), toInbox);
  conversation = (conversationId: string) => this.get(conversationKey(this.ws.id, conversationId), toConversation);
  contact = (contactId: string) => this.get(contactKey(this.ws.id, contactId), toContact);
  /** Whether the user holds a company-admin grant for this workspace's organization now. */
  companyAdmin = (userId: string): boolean | undefined => {
    const orgId = this.ws.orgId;
    if (!orgId) return false;
    const grant = this.get(companyAdminGrantKey(userId, this.ws.id), toGrant);
    return grant === undefined ? undefined : grant !== null && grant.orgId === orgId;
  };

  /** The user's company-admin grant for this workspace as stored (its tenure: `adminSince`), `null` if none. */
  companyAdminGrant = (userId: string) => this.get(companyAdminGrantKey(userId, this.ws.id), toGrant);

  /** Reads every wanted item: one wave (chunks of 100 keys in parallel). */
  async fill(): Promise<void> {
    const keys = [...this.wanted.values()];
    this.wanted.clear();
    if (keys.length === 0) return;
    this.waves++;
    const chunks: Key[][] = [];
    for (let i = 0; i < keys.length; i += BATCH) chunks.push(keys.slice(i, i + BATCH));
    const found = (await Promise.all(chunks.map((c) => batchGet(c, this.consistent)))).flat();
    for (const k of keys) this.items.set(id(k), null);
    for (const item of found) this.items.set(id({ PK: String(item.PK), SK: String(item.SK) }), item);
  }
}

/** Asks `ask` until it needs nothing more, reading what it asked for in between (at most `maxWaves`). */
export async function settle<T>(facts: Facts, ask: () => T, maxWaves = 6): Promise<T> {
  for (let wave = 0; ; wave++) {
    const answer = ask();
    if (!facts.pending) return answer;
    if (wave >= maxWaves) throw new InternalError(new Error('AuthZEN facts did not settle'));
    await facts.fill();
  }
}

async function batchGet(keys: Key[], consistent: boolean): Promise<Item[]> {
  const out: Item[] = [];
  let request: Key[] = keys;
  try {
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
      if (attempt >= 4) return mapDbError({ name: 'ThrottlingException' });
      const res = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: consistent } } }),
      );
      out.push(...((res.Responses?.[tableName] ?? []) as Item[]));
      request = (res.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    }
  } catch (err) {
    return mapDbError(err);
  }
  return out;
}

// Candidates for searches.

/** Every inbox of a workspace (few: tens), parsed. */
export async function allInboxes(wsId: string): Promise<InboxRecord[]> {
  return (await queryCollection(wsCollection(wsId, INBOX_PREFIX))).map(toInbox);
}

/** Every custom role of a workspace (bounded by the plan), parsed. */
export async function allCustomRoles(wsId: string): Promise<RoleRecord[]> {
  return (await queryCollection(wsCollection(wsId, ROLE_PREFIX))).map(toRoleRecord);
}

/** Every API key of a workspace (few), parsed. */
export async function allApiKeys(wsId: string): Promise<ApiKeyFacts[]> {
  return (await queryCollection(wsCollection(wsId, APIKEY_PREFIX))).map(toApiKey);
}

export { apiKeyRecordKey, inboxKey, memberKey, roleKey };
