// What AuthZEN decisions read, read in waves of BatchGetItem: every question of a batch says which items it
// needs (members, memberships, API keys, roles, teams, inboxes, company-admin grants, conversations,
// contacts), the missing ones are read together, and the questions are asked again until nothing is
// missing. So a batch of 100 evaluations costs as many round trips as its longest chain of dependencies
// (user → membership → member → teams: 3), never one per item. Items are parsed with zod on the way in.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { APIKEY_PREFIX, apiKeyRecordKey } from '../api-keys/repository';
import { contactKey } from '../contacts/keys';
import { conversationKey } from '../conversations/keys';
import { db, tableName } from '../db/client';
import { mapDbError } from '../db/errors';
import { queryCollection } from '../db/ops';
import { InternalError } from '../errors';
import { INBOX_PREFIX, inboxKey } from '../inboxes/keys';
import type { InboxRecord } from '../inboxes/repository';
import { memberKey, membershipKey } from '../members/keys';
import type { Member } from '../members/schema';
import { companyAdminGrantKey, orgAdminKey } from '../organizations/keys';
import type { PermissionSet } from '../permissions/catalog';
import { ROLE_PREFIX, roleKey } from '../roles/keys';
import type { RoleRecord } from '../roles/repository';
import { teamKey } from '../teams/keys';
import { wsCollection } from '../workspaces/keys';
import type { WorkspaceRecord } from '../workspaces/repository';

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

const StringSet = z.preprocess(
  (v) => (v === undefined || v === null ? [] : v instanceof Set ? [...v].sort() : v),
  z.array(z.string()),
);
const Grant = z.union([z.literal(true), z.enum(['all', 'groups', 'assigned'])]);

const ExtraGrantItem = z.object({
  id: z.string(),
  permissions: z.record(z.string(), Grant),
  until: z.string(),
  reason: z.string().optional(),
  grantedBy: z.string().optional(),
  grantedAt: z.string().optional(),
});
const MemberItem = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string().catch(''),
  roleId: z.string(),
  inboxIds: StringSet,
  teamIds: StringSet,
  joinedAt: z.string(),
  version: z.number().optional(),
  // Read as the member repository and the authorizer read them: only `deactivated` takes access away.
  status: z.preprocess((v) => (v === 'deactivated' ? v : 'active'), z.enum(['active', 'deactivated'])),
  deactivatedAt: z.string().optional(),
  roleUntil: z.string().optional(),
  previousRoleId: z.string().optional(),
  grants: z.array(ExtraGrantItem).optional(),
});
const MembershipItem = z.object({ memberId: z.string(), roleId: z.string() });
const ApiKeyItem = z.object({
  id: z.string(),
  name: z.string(),
  roleId: z.string(),
  createdAt: z.string(),
  /** Set with the lookup when the member it answers to is deactivated: the key works no more. */
  suspended: z.boolean().optional(),
});
const RoleItem = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  nameKey: z.string().catch(''),
  description: z.string().catch(''),
  permissions: z.record(z.string(), Grant),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  memberCount: z.number().catch(0),
  inviteCount: z.number().catch(0),
  keyCount: z.number().catch(0),
});
const TeamItem = z.object({ id: z.string(), name: z.string(), inboxIds: StringSet, memberIds: StringSet });
const InboxItem = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  visibility: z.enum(['public', 'private']),
  kind: z.enum(['shared', 'personal']),
  ownerMemberId: z.string().nullable().catch(null),
  createdAt: z.string(),
  updatedAt: z.string().catch(''),
});
const GrantItem = z.object({ orgId: z.string() });
/** What a decision needs of a conversation (shared/conversations stores more). */
const ConversationItem = z.object({
  id: z.string(),
  inboxId: z.string(),
  assigneeId: z.string().nullable().catch(null),
});
/** What a decision needs of a contact (shared/contacts stores more). */
const ContactItem = z.object({ id: z.string(), createdBy: z.string(), inboxIds: StringSet });

export type MemberFacts = Member;
export type TeamFacts = z.infer<typeof TeamItem>;
export type ApiKeyFacts = z.infer<typeof ApiKeyItem>;
export type ConversationFacts = z.infer<typeof ConversationItem>;
export type ContactFacts = z.infer<typeof ContactItem>;

function parse<T>(schema: z.ZodType<T>, item: Item, what: string): T {
  const res = schema.safeParse(item);
  if (!res.success) throw new InternalError(new Error(`${what} item does not parse: ${res.error.message}`));
  return res.data;
}

export const toMemberFacts = (item: Item): MemberFacts => {
  const m = parse(MemberItem, item, 'Member');
  // A term is a pair (as the member repository reads it): half of one is no term.
  const { roleUntil, previousRoleId, grants, ...rest } = m;
  return {
    ...rest,
    ...(roleUntil !== undefined && previousRoleId !== undefined ? { roleUntil, previousRoleId } : {}),
    ...(grants && grants.length > 0
      ? { grants: grants.map((g) => ({ ...g, permissions: g.permissions as PermissionSet })) }
      : {}),
  };
};
export const toRoleRecord = (item: Item): RoleRecord => {
  const r = parse(RoleItem, item, 'Role');
  return { ...r, permissions: r.permissions as PermissionSet };
};
export const toInbox = (item: Item): InboxRecord => parse(InboxItem, item, 'Inbox');
export const toApiKey = (item: Item): ApiKeyFacts => parse(ApiKeyItem, item, 'API key');

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
  membership = (userId: string) =>
    this.get(membershipKey(userId, this.ws.id), (i) => parse(MembershipItem, i, 'Membership'));
  apiKey = (keyId: string) => this.get(apiKeyRecordKey(this.ws.id, keyId), toApiKey);
  customRole = (roleId: string) => this.get(roleKey(this.ws.id, roleId), toRoleRecord);
  team = (teamId: string) => this.get(teamKey(this.ws.id, teamId), (i) => parse(TeamItem, i, 'Team'));
  inbox = (inboxId: string) => this.get(inboxKey(this.ws.id, inboxId), toInbox);
  conversation = (conversationId: string) =>
    this.get(conversationKey(this.ws.id, conversationId), (i) => parse(ConversationItem, i, 'Conversation'));
  contact = (contactId: string) => this.get(contactKey(this.ws.id, contactId), (i) => parse(ContactItem, i, 'Contact'));
  /** Whether the user holds a company-admin grant for this workspace's organization now. */
  companyAdmin = (userId: string): boolean | undefined => {
    const orgId = this.ws.orgId;
    if (!orgId) return false;
    const grant = this.get(companyAdminGrantKey(userId, this.ws.id), (i) => parse(GrantItem, i, 'Grant'));
    return grant === undefined ? undefined : grant !== null && grant.orgId === orgId;
  };

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

/** The user ids of an organization's company admins (at most 90). */
export async function orgAdminUserIds(orgId: string): Promise<string[]> {
  const items = await queryCollection({ pk: orgAdminKey(orgId, '').PK, prefix: orgAdminKey(orgId, '').SK });
  return items.map((i) => String(i.userId)).sort();
}

/** Every API key of a workspace (few), parsed. */
export async function allApiKeys(wsId: string): Promise<ApiKeyFacts[]> {
  return (await queryCollection(wsCollection(wsId, APIKEY_PREFIX))).map(toApiKey);
}

export { apiKeyRecordKey, inboxKey, memberKey, roleKey };
