// The escalation property over EVERY path that changes someone's access, together (fast-check, over
// HTTP against DynamoDB Local): random actors run random interleavings of role creates / edits / deletes
// (with reassignment), role changes, removals, ownership transfers, team creates / updates / deletes,
// inbox assignments and deletions, settings, plan changes up and down, invitations (new, refresh, resend,
// accept), API keys (create, revoke), the organization (workspace attach, company admins added and
// removed), deactivation and reactivation, time-bound grants (extra permissions, a role until a time, revoked),
// access requests (asked, approved, denied) and the requireApprovalFor setting, conversations created (naming a
// contact), moved (into personal inboxes too) and assigned; some steps run two at once.
//
// After every step, read straight from the table (one Query of the workspace's partition):
// - nobody (member, pending invitation, API key) gained a permission, or the reach of an inbox, that no
//   actor of the step could grant (an independent reading of PRODUCT.md §5 in fixtures/reference-policy);
// - no reference points at something deleted (roles of members, invitations and keys; team members both
//   ways; inboxes of members and teams), and each role's holder counters equal what holds it;
// - exactly one Owner;
// - moving or linking gave nobody reach (issue 16): a conversation of a shared inbox is never in a personal one
//   after (the Owner's rights never shrink), and a contact gains a link to an inbox (its visibility under
//   `contactsVisibility: private`) only from an actor of the step who saw it before;
// - every assignee can still work in its conversation's inbox: whatever change took its reach released it (issue 16).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowMs, setClockForTests } from '../../shared/clock';
import { BatchGetCommand, db, QueryCommand, tableName } from '../../shared/db/client';
import { invitationToken } from '../../shared/invitations/tokens';
import { PERMISSIONS, type PermissionSet, SCOPES, type Scope } from '../../shared/permissions/catalog';
import { BUILTIN_ROLE_IDS, builtinPermissions, isBuiltinRoleId } from '../../shared/permissions/roles';
import { grantExpiryPk, grantExpiryShard } from '../../shared/table/members/keys';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { referenceExcess } from '../fixtures/reference-policy';

const RUNS = Number(process.env.ESCALATION_RUNS ?? 1000);
/** A counterexample CI printed ("seed: S, path: P") is replayed with ESCALATION_SEED=S ESCALATION_PATH=P. */
const REPLAY = process.env.ESCALATION_SEED
  ? { seed: Number(process.env.ESCALATION_SEED), path: process.env.ESCALATION_PATH || undefined }
  : {};

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  setClockForTests();
  await t.stop();
});
/** The `tick` operation moves the shared clock (the API's decisions and this test's reading alike). */
let clockOffset = 0;

type Item = Record<string, any>;
interface State {
  /** Users holding a company-admin grant for this workspace's organization. */
  companyAdmins: Set<string>;
  /** The organization's listed admins. */
  orgAdmins: Set<string>;
  ws: Item;
  members: Item[];
  roles: Item[];
  teams: Item[];
  invitations: Item[];
  keys: Item[];
  inboxes: Item[];
  /** Members' personal inboxes (kept apart: team and member inbox lists name shared inboxes only). */
  personalInboxes: Item[];
  conversations: Item[];
  contacts: Item[];
  /** The seat counter item. */
  seats: Item | undefined;
  requests: Item[];
  /** SCIM tokens (issue 18): credentials of the workspace acting with their role ceiling. */
  scimTokens: Item[];
  /** Members an identity provider provisioned (their SCIM documents). */
  scimUsers: Item[];
}

async function partition(pk: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

async function readState(wsId: string, orgId: string, users: ReadonlySet<string>): Promise<State> {
  const [items, org, grants] = await Promise.all([
    partition(`WS#${wsId}`),
    partition(`ORG#${orgId}`),
    db.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: {
            Keys: [...users].map((u) => ({ PK: `USER#${u}`, SK: `ORGWS#${wsId}` })),
            ConsistentRead: true,
          },
        },
      }),
    ),
  ]);
  const of = (prefix: string) => items.filter((i) => String(i.SK).startsWith(prefix));
  const ws = items.find((i) => i.SK === 'META')!;
  // The membership pointers the authorizer reads, beside their member items.
  const members = of('MEMBER#');
  const pointers =
    members.length === 0
      ? []
      : ((
          await db.send(
            new BatchGetCommand({
              RequestItems: {
                [tableName]: {
                  Keys: members.map((m) => ({ PK: `USER#${m.userId}`, SK: `WS#${wsId}` })),
                  ConsistentRead: true,
                },
              },
            }),
          )
        ).Responses?.[tableName] ?? []);
  for (const m of members) {
    const p = pointers.find((x) => x.PK === `USER#${m.userId}`);
    m.pointer = p;
  }
  return {
    companyAdmins: new Set(
      (grants.Responses?.[tableName] ?? []).filter((g) => g.orgId === ws.orgId).map((g) => String(g.userId)),
    ),
    orgAdmins: new Set(org.filter((i) => String(i.SK).startsWith('ADMIN#')).map((i) => String(i.userId))),
    ws,
    members,
    roles: of('ROLE#'),
    teams: of('TEAM#'),
    invitations: of('INVITE#').filter((i) => i.status === 'pending'),
    keys: of('APIKEY#'),
    inboxes: of('INBOX#').filter((i) => i.kind !== 'personal'),
    personalInboxes: of('INBOX#').filter((i) => i.kind === 'personal'),
    conversations: of('CONV#'),
    contacts: of('CONTACT#'),
    seats: items.find((i) => i.SK === 'SEATS'),
    requests: of('ACCESSREQ#'),
    scimTokens: of('SCIMTOKEN#'),
    scimUsers: of('SCIMUSER#'),
  };
}

const list = (v: unknown): string[] => [...((v as Iterable<string> | undefined) ?? [])];

function roleSet(s: State, roleId: string): PermissionSet | undefined {
  if (isBuiltinRoleId(roleId)) return builtinPermissions(roleId, s.ws.settings);
  return s.roles.find((r) => r.id === roleId)?.permissions;
}

/** `a ∪ b`, a scoped permission at the wider scope (read independently of shared/grants/effective). */
function union(a: PermissionSet, b: PermissionSet): PermissionSet {
  const out: PermissionSet = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof PermissionSet, true | Scope][]) {
    const held = out[k];
    if (held === undefined || held === true) out[k] = held ?? v;
    else if (v === true || RANK[v]! > RANK[held]!) out[k] = v;
  }
  return out;
}

/**
 * What a member may do now (the clock of the test process, which the API shares): nothing when deactivated;
 * else its role in force (a role until a time counts until then, then the previous one) and its extra grants
 * still in force.
 */
function memberSet(s: State, m: Item): PermissionSet {
  if (m.status === 'deactivated') return {};
  const now = nowMs();
  const roleId = m.roleUntil && Date.parse(m.roleUntil) <= now ? String(m.previousRoleId) : String(m.roleId);
  let set = roleSet(s, roleId) ?? {};
  for (const g of (m.grants ?? []) as { permissions: PermissionSet; until: string }[]) {
    if (Date.parse(g.until) > now) set = union(set, g.permissions);
  }
  return set;
}

/** Every principal's effective permissions and inbox reach, by a key stable across steps. */
function principals(s: State) {
  const out = new Map<string, { set: PermissionSet; reach: Set<string>; roleId: string }>();
  const ownerSet = builtinPermissions('owner', s.ws.settings);
  for (const m of s.members) {
    // A deactivated member reaches nothing either (the authorizer refuses it).
    const reach = new Set(
      m.status === 'deactivated'
        ? []
        : [
            ...list(m.inboxIds),
            ...s.teams.filter((t) => list(t.memberIds).includes(m.id)).flatMap((t) => list(t.inboxIds)),
          ],
    );
    // A company admin of the workspace's organization acts with everything (the authorizer's rule).
    const set = s.companyAdmins.has(m.userId) ? ownerSet : memberSet(s, m);
    out.set(`member:${m.id}`, { set, reach, roleId: m.roleId });
  }
  for (const i of s.invitations) {
    out.set(`invite:${i.emailKey}`, {
      set: roleSet(s, i.roleId) ?? {},
      reach: new Set(list(i.inboxIds)),
      roleId: i.roleId,
    });
  }
  // A SCIM token gives (and acts with) its ceiling: making one, or widening what its ceiling holds, is a gain.
  for (const k of s.scimTokens) {
    out.set(`scimtoken:${k.id}`, { set: roleSet(s, k.maxRoleId) ?? {}, reach: new Set(), roleId: k.maxRoleId });
  }
  for (const k of s.keys)
    out.set(`key:${k.id}`, {
      set: k.suspended ? {} : (roleSet(s, k.roleId) ?? {}),
      reach: new Set(),
      roleId: k.roleId,
    });
  return out;
}

const RANK: Record<string, number> = { assigned: 1, groups: 2, all: 3 };
function gained(before: PermissionSet, after: PermissionSet): PermissionSet {
  const out: PermissionSet = {};
  for (const [k, v] of Object.entries(after) as [keyof PermissionSet, true | Scope][]) {
    const was = before[k];
    if (was === undefined || (typeof v === 'string' && typeof was === 'string' && RANK[v]! > RANK[was]!)) out[k] = v;
  }
  return out;
}

/** The invariants that hold whatever happened. */
function checkStructure(s: State) {
  expect(s.members.filter((m) => m.roleId === 'owner')).toHaveLength(1);
  const roleIds = new Set(s.roles.map((r) => r.id));
  const resolves = (roleId: string) => isBuiltinRoleId(roleId) || roleIds.has(roleId);
  for (const m of s.members) expect(resolves(m.roleId), `member ${m.id} holds ${m.roleId}`).toBe(true);
  for (const i of s.invitations) expect(resolves(i.roleId), `invitation ${i.id} carries ${i.roleId}`).toBe(true);
  for (const k of s.keys) expect(resolves(k.roleId), `key ${k.id} holds ${k.roleId}`).toBe(true);
  const memberIds = new Set(s.members.map((m) => m.id));
  const inboxIds = new Set(s.inboxes.map((i) => i.id));
  for (const team of s.teams) {
    for (const id of list(team.memberIds)) {
      expect(memberIds.has(id), `team ${team.id} lists ${id}`).toBe(true);
      expect(list(s.members.find((m) => m.id === id)?.teamIds)).toContain(team.id);
    }
    for (const id of list(team.inboxIds)) expect(inboxIds.has(id), `team ${team.id} has inbox ${id}`).toBe(true);
  }
  for (const m of s.members) {
    for (const id of list(m.teamIds)) expect(list(s.teams.find((x) => x.id === id)?.memberIds)).toContain(m.id);
    for (const id of list(m.inboxIds)) expect(inboxIds.has(id), `member ${m.id} has inbox ${id}`).toBe(true);
  }
  for (const r of s.roles) {
    // A member holds its role and, during a term, the role it goes back to.
    expect(Number(r.memberCount ?? 0), `members of ${r.id}`).toBe(
      s.members.filter((m) => m.roleId === r.id).length +
        s.members.filter((m) => m.roleUntil && m.previousRoleId === r.id).length,
    );
    expect(Number(r.inviteCount ?? 0), `invitations of ${r.id}`).toBe(
      s.invitations.filter((i) => i.roleId === r.id).length,
    );
    expect(Number(r.keyCount ?? 0), `keys of ${r.id}`).toBe(s.keys.filter((k) => k.roleId === r.id).length);
  }
  expect(Number(s.ws.customRoleCount ?? 0)).toBe(s.roles.length);
  // Company-admin grants are exactly the listed admins' (once the workspace is in the organization).
  if (s.ws.orgId) expect([...s.companyAdmins].sort()).toEqual([...s.orgAdmins].sort());
  else expect(s.companyAdmins.size).toBe(0);
  expect(s.orgAdmins.size).toBeGreaterThan(0);
  // The seat counter equals active members + pending invitations (holding a seat: none is past its expiry).
  expect(Number(s.seats?.seatsUsed), 'seat counter').toBe(
    s.members.filter((m) => m.status !== 'deactivated').length +
      s.invitations.filter((i) => i.seatReleased !== true).length,
  );
  // The membership pointer the authorizer reads says what the member item says: status, role, term, grants.
  for (const m of s.members) {
    expect(m.pointer?.status ?? 'active', `pointer status of ${m.id}`).toBe(m.status ?? 'active');
    expect(m.pointer?.roleId, `pointer role of ${m.id}`).toBe(m.roleId);
    expect(m.pointer?.roleUntil, `pointer term of ${m.id}`).toBe(m.roleUntil);
    expect(m.pointer?.previousRoleId).toBe(m.previousRoleId);
    expect(((m.pointer?.grants ?? []) as Item[]).map((g) => [g.id, g.until, g.permissions])).toEqual(
      ((m.grants ?? []) as Item[]).map((g) => [g.id, g.until, g.permissions]),
    );
  }
  // Extra grants stay bounded.
  for (const m of s.members) expect(((m.grants ?? []) as unknown[]).length).toBeLessThanOrEqual(10);
  // The grant-expiry index entry mirrors the item (what the sweep finds): keyed by the nearest stored end of the
  // term and grants, absent without either, whichever path wrote them.
  for (const m of s.members) {
    const ends = [m.roleUntil, ...((m.grants ?? []) as Item[]).map((g) => g.until)].filter(Boolean).sort();
    const nearest = ends[0] as string | undefined;
    expect(m.GSI2SK, `grant-expiry key of ${m.id}`).toBe(
      nearest ? `${nearest}#${String(s.ws.PK).slice('WS#'.length)}#${m.id}` : undefined,
    );
    expect(m.GSI2PK, `grant-expiry shard of ${m.id}`).toBe(
      nearest ? grantExpiryPk(grantExpiryShard(String(m.id))) : undefined,
    );
  }
}

/** Nobody gained what no actor of the step could grant. */
function checkNoEscalation(before: State, after: State, actorIds: string[]) {
  const was = principals(before);
  const now = principals(after);
  const inboxVisibility = new Map([...before.inboxes, ...after.inboxes].map((i) => [i.id, i.visibility as string]));
  const actors = actorIds.map((id) => {
    // A SCIM token acts with its ceiling as it was before the step (never the Owner's exemption).
    const token = before.scimTokens.find((k) => `scimtoken:${k.id}` === id);
    if (token) return { owner: false, set: roleSet(before, token.maxRoleId) ?? {} };
    const m = before.members.find((x) => x.id === id);
    const active = m !== undefined && m.status !== 'deactivated';
    const exempt = (active && m.roleId === 'owner') || (m !== undefined && before.companyAdmins.has(m.userId));
    // What the actor holds now: role in force and grants in force (a deactivated actor holds nothing).
    return { owner: exempt, set: m ? memberSet(before, m) : {} };
  });
  for (const [key, p] of now) {
    // A member who just accepted held, a moment ago, what the invitation carried.
    let prior = was.get(key);
    if (!prior && key.startsWith('member:')) {
      const m = after.members.find((x) => `member:${x.id}` === key)!;
      const inv = before.invitations.find((i) => i.emailKey === String(m.email).toLowerCase());
      // (Its role may have moved in the same step, e.g. by a downgrade: that move is checked as a gain.)
      if (inv) prior = was.get(`invite:${inv.emailKey}`);
    }
    const base = prior ?? { set: {}, reach: new Set<string>() };
    const gain = gained(base.set, p.set);
    if (Object.keys(gain).length > 0) {
      const someoneMay = actors.some((a) => a.owner || referenceExcess(a.set, gain).length === 0);
      expect(someoneMay, `${key} gained ${JSON.stringify(gain)} from ${JSON.stringify(actors)}`).toBe(true);
    }
    const reachChanged = [...p.reach].filter((i) => !base.reach.has(i));
    if (prior) reachChanged.push(...[...base.reach].filter((i) => !p.reach.has(i)));
    for (const inbox of reachChanged) {
      const vis = inboxVisibility.get(inbox);
      if (vis === undefined) continue;
      const perm = vis === 'private' ? 'inboxes.private.configure' : 'inboxes.public.configure';
      const someoneMay = actors.some((a) => a.owner || a.set[perm] !== undefined);
      expect(someoneMay, `${key} reach of ${vis} inbox ${inbox} changed by ${JSON.stringify(actors)}`).toBe(true);
    }
  }
}

/**
 * Whether member `m` sees contact `c` (PRODUCT.md §7, read independently of shared/contacts): under
 * `contactsVisibility: private` the Owner and company admins, its creator, and who sees an inbox it talked to.
 */
function seesContact(s: State, m: Item, c: Item): boolean {
  if (s.ws.settings?.contactsVisibility !== 'private') return true;
  if (m.status === 'deactivated') return false;
  if (m.roleId === 'owner' || s.companyAdmins.has(m.userId) || c.createdBy === m.id) return true;
  const p = principals(s).get(`member:${m.id}`)!;
  const holds = (k: keyof PermissionSet) => p.set[k] !== undefined;
  return list(c.inboxIds).some((id) => {
    const inbox = [...s.inboxes, ...s.personalInboxes].find((i) => i.id === id);
    if (!inbox) return false;
    if (inbox.kind === 'personal') return inbox.ownerMemberId === m.id;
    if (p.reach.has(id)) return true;
    return inbox.visibility === 'public'
      ? holds('messages.view') || holds('inboxes.public.configure')
      : holds('inboxes.private.access') || holds('inboxes.private.configure');
  });
}

/** Moving or linking gave nobody reach (see the top of this file). */
function checkLinks(before: State, after: State, actorIds: string[]) {
  for (const c of after.conversations) {
    const was = before.conversations.find((x) => x.id === c.id);
    if (was?.inboxKind === 'shared')
      expect(c.inboxKind, `shared conversation ${c.id} moved to ${c.inboxId}`).toBe('shared');
  }
  const actors = actorIds.map((id) => before.members.find((m) => m.id === id)).filter((m) => m !== undefined);
  for (const c of after.contacts) {
    const was = before.contacts.find((x) => x.id === c.id);
    const added = list(c.inboxIds).filter((i) => !list(was?.inboxIds).includes(i));
    if (!was || added.length === 0) continue;
    const someoneSaw = actors.some((m) => seesContact(before, m, was));
    expect(someoneSaw, `contact ${c.id} linked to ${added.join()} by ${actorIds.join()}, who did not see it`).toBe(
      true,
    );
  }
}

/**
 * Whether member `m` can work in `inbox` (be its conversations' assignee), read independently of
 * shared/conversations/work-in: active; a personal inbox is its owner's alone; a company admin works in every shared
 * inbox; anyone else needs `messages.view` and to see the inbox (reach, or the permission that sees its visibility).
 */
function worksInRef(s: State, m: Item, inbox: Item): boolean {
  if (m.status === 'deactivated') return false;
  if (inbox.kind === 'personal') return inbox.ownerMemberId === m.id;
  if (s.companyAdmins.has(m.userId)) return true;
  const p = principals(s).get(`member:${m.id}`)!;
  const holds = (k: keyof PermissionSet) => p.set[k] !== undefined;
  if (!holds('messages.view')) return false;
  if (p.reach.has(inbox.id) || inbox.visibility === 'public') return true;
  return holds('inboxes.private.access') || holds('inboxes.private.configure');
}

/**
 * Issue 16: nobody stays the assignee of a conversation it can no longer work in, whichever change took its reach
 * (its inboxes, a team, a role, a role edit or deletion, a grant revoked or ended, an approved request, a company
 * admin removed, an inbox moved or turned private): each releases in the step that takes the reach.
 */
function checkAssignees(after: State, kinds: OpKind[]) {
  for (const c of after.conversations) {
    if (!c.assigneeId) continue;
    const inbox = [...after.inboxes, ...after.personalInboxes].find((i) => i.id === c.inboxId);
    if (!inbox) continue;
    const m = after.members.find((x) => x.id === c.assigneeId);
    expect(m, `conversation ${c.id} assigned to ${c.assigneeId}, who is gone, after ${kinds.join('+')}`).toBeDefined();
    expect(
      worksInRef(after, m!, inbox),
      `${c.assigneeId} still assigned ${c.id} in ${inbox.visibility ?? inbox.kind} inbox ${inbox.id} after ${kinds.join('+')}`,
    ).toBe(true);
  }
}

const setArb = fc
  .subarray([...PERMISSIONS], { maxLength: 10 })
  .chain((defs) =>
    defs.length === 0
      ? fc.constant({} as PermissionSet)
      : fc
          .tuple(...defs.map((d) => (d.scoped ? fc.constantFrom<Scope>(...SCOPES) : fc.constant(true as const))))
          .map((gs) => Object.fromEntries(defs.map((d, i) => [d.key, gs[i]])) as PermissionSet),
  );

const OPS = [
  'changeRole',
  'removeMember',
  'transferOwnership',
  'createRole',
  'editRole',
  'deleteRole',
  'invite',
  'accept',
  'resend',
  'setInboxes',
  'createTeam',
  'updateTeam',
  'deleteTeam',
  'deleteInbox',
  'setting',
  'plan',
  'createApiKey',
  'revokeApiKey',
  'attachWorkspace',
  'addCompanyAdmin',
  'removeCompanyAdmin',
  'deactivate',
  'reactivate',
  'grant',
  'revokeGrant',
  'roleUntil',
  'requestAccess',
  'approve',
  'deny',
  'requireApproval',
  'createConversation',
  'moveConversation',
  'assign',
  'tick',
  // Issue 18: SCIM tokens made and revoked by members; tokens provisioning users (with a roles value), changing a
  // provisioned user's roles value or active flag, and pushing groups the workspace maps to roles.
  'createScimToken',
  'revokeScimToken',
  'scimProvision',
  'scimRole',
  'scimActive',
  'scimGroup',
] as const;
type OpKind = (typeof OPS)[number];

interface Op {
  kind: OpKind;
  actor: number;
  a: number;
  b: number;
  c: number;
  flag: boolean;
  perms: PermissionSet;
}
/**
 * Access requests need two steps of one sequence (ask, then decide), so asking and deciding are drawn more often
 * than the rest (about a third of the operations together); see the coverage check at the end.
 */
const DECISIONS = ['requestAccess', 'approve', 'deny'] as const satisfies readonly OpKind[];
/** Moving and linking (issue 16) are drawn more often too, so a short run meets them. */
const LINKS = ['createConversation', 'moveConversation', 'assign'] as const satisfies readonly OpKind[];
/**
 * The paths the coverage check at the end must see accepted at least once in a run of 200 sequences. Most are
 * accepted only for a few actors (a plan change: the Owner, into a plan the workspace fits), so they are drawn more
 * often too: at the plain weight a 200-sequence run met `plan` about 10 times and saw none accepted in one CI run of
 * two (`changeRole` was accepted once in each).
 */
const MUST_ACCEPT = [
  'changeRole',
  'createRole',
  'editRole',
  'invite',
  'accept',
  'updateTeam',
  'plan',
  'createApiKey',
  // Access requests applied, not only refused: asked, approved (the grant written in the closing
  // transaction) and denied.
  'requestAccess',
  'approve',
  'deny',
  // Issue 18: SCIM tokens made, and acting within their ceilings.
  'createScimToken',
  'scimProvision',
  'scimGroup',
] as const satisfies readonly OpKind[];
/** Made by the Owner half the time (see `decider`). */
const OWNER_HALF: readonly OpKind[] = ['approve', 'deny', 'assign', 'changeRole', 'createRole', 'plan'];
const RARELY_ACCEPTED = MUST_ACCEPT.filter((k) => !(DECISIONS as readonly OpKind[]).includes(k));
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constantFrom(...OPS), weight: 4 },
    { arbitrary: fc.constantFrom(...DECISIONS), weight: 2 },
    { arbitrary: fc.constantFrom(...LINKS), weight: 1 },
    { arbitrary: fc.constantFrom(...RARELY_ACCEPTED), weight: 1 },
  ),
  actor: fc.nat(),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  flag: fc.boolean(),
  perms: setArb,
});
const stepArb = fc.array(opArb, { minLength: 1, maxLength: 2 });

/** Operations a SCIM token makes (issue 18). */
const SCIM_ACTS: readonly OpKind[] = ['scimProvision', 'scimRole', 'scimActive', 'scimGroup'];

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);

/**
 * Issue 16: half the time, one of the API keys made in the sequence and still listed, with the member it answers to
 * (its maker, or the company admin who made it): that key acts, for its person. `undefined` otherwise (a member
 * signs in).
 */
function keyActor(
  s: State,
  n: number,
  secrets: ReadonlyMap<string, string>,
): { secret: string; owner: Item } | undefined {
  if ((n >> 3) % 2 === 0) return undefined;
  const ownerOf = (k: Item) =>
    s.members.find((m) => k.ownerMemberId === m.id || k.ownerMemberId === `cadmin_${m.userId}`);
  const key = pick(
    s.keys.filter((k) => secrets.has(k.id) && ownerOf(k) !== undefined),
    n >> 4,
  );
  return key && { secret: secrets.get(key.id)!, owner: ownerOf(key)! };
}

/** Issue 16: whether request `r` is about `actor` or was asked by it (signed in, or through one of its keys). */
function ownRequest(s: State, r: Item, actor: Item): boolean {
  const key = s.keys.find((k) => `apikey_${k.id}` === r.requestedBy);
  return (
    r.memberId === actor.id ||
    r.requestedBy === actor.id ||
    r.requester?.memberId === actor.id ||
    (key !== undefined && key.ownerMemberId === actor.id)
  );
}
const subset = <T>(xs: readonly T[], mask: number) => xs.filter((_, i) => (mask >> i) & 1);

/**
 * Contacts only the Owner sees (`contactsVisibility: private`): one talked to the private inbox, one to none;
 * personal inboxes for two members, each with a conversation; a conversation in each shared inbox, assigned.
 */
async function seedConversations(ws: string, token: string, s: State) {
  const base = `/v1/workspaces/${ws}`;
  const ok = async (status: number, res: { status: number; text: string; body: any }) => {
    expect(res.status, res.text).toBe(status);
    return res.body;
  };
  await ok(200, await t.call('PATCH', base, { token, body: { settings: { contactsVisibility: 'private' } } }));
  const contacts: string[] = [];
  for (const name of ['Talked to VIP', 'Talked to nobody']) {
    contacts.push((await ok(201, await t.call('POST', `${base}/contacts`, { token, body: { name } }))).id);
  }
  for (const [i, inbox] of s.inboxes.entries()) {
    const body = inbox.visibility === 'private' ? { contactId: contacts[0] } : {};
    const made = await ok(
      201,
      await t.call('POST', `${base}/inboxes/${inbox.id}/conversations`, { token, body: { ...body, subject: `S${i}` } }),
    );
    // Assigned to the first member (not the Owner) who can work there, so that changes of reach meet assignees.
    for (const m of s.members.filter((x) => x.roleId !== 'owner')) {
      const res = await t.call('POST', `${base}/conversations/${made.conversation.id}/assign`, {
        token,
        body: { memberId: m.id },
      });
      expect([200, 409], res.text).toContain(res.status);
      if (res.status === 200) break;
    }
  }
  for (const m of s.members.filter((x) => x.roleId !== 'owner').slice(0, 2)) {
    const mine = t.api.issuer.sign({ sub: m.userId, email: m.email, emailVerified: true });
    const tok = await mine;
    const inbox = await ok(
      201,
      await t.call('POST', `${base}/inboxes`, {
        token: tok,
        body: { name: 'Mine', visibility: 'private', kind: 'personal' },
      }),
    );
    await ok(201, await t.call('POST', `${base}/inboxes/${inbox.id}/conversations`, { token: tok, body: {} }));
  }
}

/**
 * Issue 16 class 3: while requireApprovalFor lists something, a step whose every actor it binds (not the Owner, not
 * a company admin) gives nobody (member, pending invitation, API key) a listed permission or a listed role: on every
 * path that grants (role change, extra grant, invitation, role edit, reassignment on delete, a setting, an API key, a
 * downgrade moving holders of surplus roles to member) such a grant waits for approval (202). Not judged: approving
 * (the approver grants), an API key using an approval (its request's consumedAt set in the step), and what is not a
 * grant by the actor (the clock, accepting or reactivating restores what was granted before; the organization's
 * admins, whose actors are company admins, whom the list does not bind).
 */
function checkApprovals(before: State, after: State, actorIds: string[], kinds: OpKind[]) {
  const listed: string[] = list(before.ws.settings?.requireApprovalFor);
  if (listed.length === 0) return;
  const notJudged: OpKind[] = [
    'approve',
    'requireApproval',
    'tick',
    'accept',
    'reactivate',
    'attachWorkspace',
    'addCompanyAdmin',
    'removeCompanyAdmin',
    // Reactivation through SCIM restores what was granted before.
    'scimActive',
  ];
  if (kinds.some((k) => notJudged.includes(k))) return;
  // A SCIM token is bound by the list like anyone but the Owner (issue 18).
  const actors = actorIds
    .filter((id) => !id.startsWith('scimtoken:'))
    .map((id) => before.members.find((m) => m.id === id));
  if (actors.some((m) => !m || m.roleId === 'owner' || before.companyAdmins.has(m.userId))) return;
  const usedApproval = after.requests.some(
    (r) => r.consumedAt !== undefined && before.requests.find((b) => b.id === r.id)?.consumedAt === undefined,
  );
  if (usedApproval) return;
  const was = principals(before);
  for (const [key, p] of principals(after)) {
    const prior = was.get(key);
    const gain = Object.keys(gained(prior?.set ?? {}, p.set)).filter((x) => listed.includes(x));
    const role = listed.includes(p.roleId) && prior?.roleId !== p.roleId && Object.keys(p.set).length > 0;
    expect(
      { gain, role },
      `${key} got what requireApprovalFor ${JSON.stringify(listed)} lists, by ${kinds.join('+')}, without approval`,
    ).toEqual({ gain: [], role: false });
  }
}

const seen = { steps: 0, accepted: 0, refused: 0, concurrent: 0, kinds: new Map<string, number>() };

describe('no escalation on any path, interleaved', () => {
  it(`holds over ${RUNS} random sequences of every access-changing operation`, async () => {
    const tokens = new Map<string, string>(); // userId → token
    const tokenOf = async (m: Item) => {
      let tok = tokens.get(m.userId);
      if (!tok) {
        tok = await t.api.issuer.sign({ sub: m.userId, email: m.email, emailVerified: true });
        tokens.set(m.userId, tok);
      }
      return tok;
    };

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<string>('admin', 'manager', 'agent', 'member', 'custom0', 'custom1'), {
          minLength: 3,
          maxLength: 4,
        }),
        fc.tuple(setArb, setArb),
        fc.array(stepArb, { minLength: 3, maxLength: 5 }),
        async (memberRoles, [c0, c1], steps) => {
          const { ws, token, owner } = await createWorkspace(t, 'unlimited');
          tokens.set(owner, token);
          const users = new Set([owner]);
          const customs: string[] = [];
          for (const [i, perms] of [c0, c1].entries()) {
            // The seeds give actors something to work with: teammates.manage or roles.manage half the time.
            const body = {
              name: `Seed ${i}`,
              permissions: {
                ...perms,
                // Issue 16: and API keys, so a holder can make a key that acts for it (see `keyActor`).
                ...(i === 0 ? { 'teammates.manage': true, 'apiKeys.manage': true } : {}),
                'roles.manage': true,
              },
            };
            const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body });
            expect(res.status, res.text).toBe(201);
            customs.push(res.body.id);
          }
          for (const r of memberRoles) {
            const m = await addMember(t, ws, r.startsWith('custom') ? customs[Number(r.slice(6))]! : r);
            tokens.set(m.userId, m.token);
            users.add(m.userId);
          }
          for (const visibility of ['public', 'private'] as const) {
            const res = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
              token,
              body: { name: visibility, visibility, kind: 'shared' },
            });
            expect(res.status).toBe(201);
          }
          const seeded = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
            token,
            body: { email: `seed-${ws.slice(-8)}@example.test`, roleId: customs[1] },
          });
          expect(seeded.status, seeded.text).toBe(201);
          const org = await t.call('POST', '/v1/organizations', { token, body: { name: 'Org' } });
          expect(org.status, org.text).toBe(201);
          const orgId = org.body.id as string;
          let state = await readState(ws, orgId, users);
          const team = await t.call('POST', `/v1/workspaces/${ws}/teams`, {
            token,
            body: { name: 'Seed team', memberIds: [state.members[0]!.id], inboxIds: [state.inboxes[0]!.id] },
          });
          expect(team.status, team.text).toBe(201);
          // Pending access requests from the start (a role, permissions for a period), so an approve or deny
          // drawn in any step has something to decide, not only after an ask earlier in the same sequence.
          const askers = state.members.filter((m) => m.roleId !== 'owner').slice(0, 2);
          for (const [i, m] of askers.entries()) {
            const asked = await t.call('POST', `/v1/workspaces/${ws}/access-requests`, {
              token: await tokenOf(m),
              body:
                i === 0
                  ? { roleId: m.roleId === 'admin' ? 'manager' : 'admin', reason: 'seed' }
                  : {
                      permissions: { 'analytics.view': true },
                      until: new Date(nowMs() + 3_600_000).toISOString(),
                      reason: 'seed',
                    },
            });
            expect(asked.status, asked.text).toBe(201);
          }
          await seedConversations(ws, token, state);
          state = await readState(ws, orgId, users);
          checkStructure(state);
          let emailSeq = 0;
          // Issue 16: API keys made in this sequence (id → secret), acting for their owners in later steps; a
          // member holding the first seed role (apiKeys.manage) makes one now, with that role.
          const keySecrets = new Map<string, string>();
          const keyMaker = state.members.find((m) => m.roleId === customs[0]);
          if (keyMaker) {
            const made = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
              token: await tokenOf(keyMaker),
              body: { name: 'seed key', roleId: customs[0] },
            });
            expect(made.status, made.text).toBe(201);
            keySecrets.set(made.body.id, made.body.key);
            state = await readState(ws, orgId, users);
          }
          // Issue 18: SCIM tokens made in this sequence (id → secret). The Owner makes one whose ceiling is the first
          // seed role (random permissions beside teammates.manage), another below, and maps two group names to roles (one a
          // custom role, one admin: above most ceilings, so the guard's refusal is met too). The first seed role, as the
          // one a downgrade to pro keeps (the newest go first): a role SCIM names is not removed (409), and naming the
          // second would refuse every downgrade, leaving plan changes never accepted.
          const scimSecrets = new Map<string, string>();
          const scimSettings = await t.call('PATCH', `/v1/workspaces/${ws}`, {
            token,
            body: {
              settings: {
                scim: {
                  groupRoles: [
                    { group: 'Leads', roleId: customs[0] },
                    { group: 'Admins', roleId: 'admin' },
                  ],
                },
              },
            },
          });
          expect(scimSettings.status, scimSettings.text).toBe(200);
          const seedToken = await t.call('POST', `/v1/workspaces/${ws}/scim/tokens`, {
            token,
            body: { name: 'seed IdP', maxRoleId: customs[0] },
          });
          expect(seedToken.status, seedToken.text).toBe(201);
          scimSecrets.set(seedToken.body.id, seedToken.body.token);
          // And one with an admin ceiling, which provisions a user: changing a provisioned user's role or active flag
          // has a target from the start.
          const adminToken = await t.call('POST', `/v1/workspaces/${ws}/scim/tokens`, {
            token,
            body: { name: 'admin IdP', maxRoleId: 'admin' },
          });
          expect(adminToken.status, adminToken.text).toBe(201);
          scimSecrets.set(adminToken.body.id, adminToken.body.token);
          const seedUser = await t.call('POST', `/v1/workspaces/${ws}/scim/v2/Users`, {
            token: adminToken.body.token,
            body: { userName: `idp-${ws.slice(-8)}@example.test`, active: true },
          });
          expect(seedUser.status, seedUser.text).toBe(201);
          state = await readState(ws, orgId, users);

          for (const step of steps) {
            const before = state;
            const actorIds: string[] = [];
            // Issue 16: ops about the actor itself (its grant, role, deactivation, its own request) and ops made
            // through one of its keys.
            const selfOps: boolean[] = [];
            const keyOps: boolean[] = [];
            const runs = step.map(async (op, opIndex) => {
              // Half the decisions (and assignments) are the Owner's, who may grant anything (so a decision applies
              // whenever the request still can), half a random member's (mostly refused: the guard's side). So are
              // half the role changes, role creations and plan changes, which a random member is seldom allowed: one
              // CI run of 200 sequences met plan changes 24 times and saw none accepted, another one role change.
              const owner = before.members.find((m) => m.roleId === 'owner');
              const decider = OWNER_HALF.includes(op.kind) && op.flag && owner;
              // Issue 16: or a key acts for the member it answers to, moves and links included (what a key sees is
              // never more than its owner sees, so a link it makes is judged by what its owner saw).
              const viaKey = decider ? undefined : keyActor(before, op.actor, keySecrets);
              const actor = decider ? owner : (viaKey?.owner ?? pick(before.members, op.actor)!);
              // Issue 18: a SCIM operation's actor is a live SCIM token of the sequence (the credential, not its maker).
              const scimToken = SCIM_ACTS.includes(op.kind)
                ? pick(
                    before.scimTokens.filter((k) => scimSecrets.has(k.id)),
                    op.actor,
                  )
                : undefined;
              actorIds.push(scimToken ? `scimtoken:${scimToken.id}` : actor.id);
              keyOps[opIndex] = viaKey !== undefined;
              const tok = viaKey?.secret ?? (await tokenOf(actor));
              const base = `/v1/workspaces/${ws}`;
              const roleIds = [...BUILTIN_ROLE_IDS.filter((r) => r !== 'owner'), ...before.roles.map((r) => r.id)];
              const target = pick(before.members, op.a);
              const role = pick(before.roles, op.a);
              const team = pick(before.teams, op.a);
              const inboxIds = subset(
                before.inboxes.map((i) => i.id),
                op.c,
              );
              const memberIds = subset(
                before.members.map((m) => m.id),
                op.b,
              );
              selfOps[opIndex] =
                ['changeRole', 'roleUntil', 'grant', 'deactivate'].includes(op.kind) && target?.id === actor.id;
              const call = (method: string, path: string, body?: unknown) =>
                t.call(method, `${base}${path}`, { token: tok, ...(body === undefined ? {} : { body }) });
              switch (op.kind) {
                case 'changeRole':
                  return target && call('PATCH', `/members/${target.id}`, { roleId: pick(roleIds, op.b) });
                case 'removeMember':
                  return target && call('DELETE', `/members/${target.id}`);
                case 'transferOwnership':
                  return target && call('POST', '/ownership', { memberId: target.id });
                case 'createRole':
                  return call('POST', '/roles', { name: `R ${op.a % 1000}-${op.b % 1000}`, permissions: op.perms });
                case 'editRole':
                  return role && call('PATCH', `/roles/${role.id}`, { permissions: op.perms });
                case 'deleteRole':
                  return (
                    role && call('DELETE', `/roles/${role.id}${op.flag ? `?reassignTo=${pick(roleIds, op.b)}` : ''}`)
                  );
                case 'invite':
                  return call('POST', '/invitations', {
                    email: `p${op.b % 3}-${ws.slice(-6)}@example.test`,
                    roleId: pick(roleIds, op.a),
                    inboxIds,
                  });
                case 'resend': {
                  const inv = pick(before.invitations, op.a);
                  return inv && call('POST', `/invitations/${inv.id}/resend`);
                }
                case 'accept': {
                  const inv = pick(before.invitations, op.a);
                  if (!inv) return undefined;
                  const user = `joiner-${ws.slice(-8)}-${emailSeq++}`;
                  users.add(user);
                  const userToken = await t.api.issuer.sign({ sub: user, email: inv.email, emailVerified: true });
                  tokens.set(user, userToken);
                  const secret = await invitationToken(ws, inv.id, inv.nonce);
                  return t.call('POST', '/v1/invitations/accept', { token: userToken, body: { token: secret } });
                }
                case 'setInboxes':
                  return target && call('PUT', `/members/${target.id}/inboxes`, { inboxIds });
                case 'createTeam':
                  return call('POST', '/teams', { name: `T ${op.a % 1000}`, memberIds, inboxIds });
                case 'updateTeam':
                  return team && call('PATCH', `/teams/${team.id}`, op.flag ? { memberIds } : { inboxIds, memberIds });
                case 'deleteTeam':
                  return team && call('DELETE', `/teams/${team.id}`);
                case 'deleteInbox': {
                  const inbox = pick(before.inboxes, op.a);
                  return inbox && call('DELETE', `/inboxes/${inbox.id}`);
                }
                case 'setting':
                  return call('PATCH', '', { settings: { agentsCanManageAttributes: op.flag } });
                case 'plan':
                  return call('PUT', '/plan', { plan: pick(['basic', 'pro', 'unlimited'], op.b) });
                case 'createApiKey':
                  return call('POST', '/api-keys', { name: 'k', roleId: pick(roleIds, op.b) });
                case 'revokeApiKey': {
                  const key = pick(before.keys, op.a);
                  return key && call('DELETE', `/api-keys/${key.id}`);
                }
                case 'attachWorkspace':
                  return t.call('PUT', `/v1/organizations/${orgId}/workspaces/${ws}`, { token: tok });
                case 'addCompanyAdmin':
                  return (
                    target &&
                    t.call('POST', `/v1/organizations/${orgId}/admins`, { token: tok, body: { userId: target.userId } })
                  );
                case 'removeCompanyAdmin': {
                  const admin = pick([...before.orgAdmins].sort(), op.a);
                  return admin && t.call('DELETE', `/v1/organizations/${orgId}/admins/${admin}`, { token: tok });
                }
                case 'deactivate':
                  return target && call('POST', `/members/${target.id}/deactivate`);
                case 'reactivate':
                  return target && call('POST', `/members/${target.id}/reactivate`);
                case 'grant':
                  return (
                    target &&
                    call('POST', `/members/${target.id}/grants`, {
                      permissions: op.perms,
                      until: new Date(nowMs() + 3_600_000).toISOString(),
                      reason: 'property',
                    })
                  );
                case 'revokeGrant': {
                  const g = pick((target?.grants ?? []) as Item[], op.b);
                  return target && g && call('DELETE', `/members/${target.id}/grants/${g.id}`);
                }
                case 'roleUntil':
                  return (
                    target &&
                    call('PATCH', `/members/${target.id}`, {
                      roleId: pick(roleIds, op.b),
                      until: new Date(nowMs() + 3_600_000).toISOString(),
                    })
                  );
                case 'requestAccess':
                  return call(
                    'POST',
                    '/access-requests',
                    op.flag
                      ? { roleId: pick(roleIds, op.b), reason: 'property' }
                      : {
                          permissions: op.perms,
                          until: new Date(nowMs() + 3_600_000).toISOString(),
                          reason: 'property',
                        },
                  );
                case 'approve':
                case 'deny': {
                  // The Owner picks among requests it may decide (not its own, not about itself); a random
                  // member among all of them.
                  const r = pick(
                    before.requests.filter(
                      (x) => x.status === 'pending' && !(decider && [x.memberId, x.requestedBy].includes(actor.id)),
                    ),
                    op.a,
                  );
                  if (r && ownRequest(before, r, actor)) selfOps[opIndex] = true;
                  return r && call('POST', `/access-requests/${r.id}/${op.kind}`);
                }
                case 'requireApproval': {
                  // Issue 16 class 3: what the list names is drawn so every path that grants meets it: roles (built-in
                  // and this sequence's custom ones) and permissions those paths give (a role edit, a reassignment, the
                  // agentsCanManageAttributes setting's attributes.manage, an API key's role, member for a downgrade's moves).
                  const names = ['admin', 'roles.manage', 'attributes.manage', 'apiKeys.manage', 'manager', 'member'];
                  const listed = subset([...names, ...before.roles.map((r) => r.id)], op.c);
                  return call('PATCH', '', {
                    settings: { requireApprovalFor: op.flag ? (listed.length > 0 ? listed : ['admin']) : [] },
                  });
                }
                case 'createConversation': {
                  // In any inbox, personal ones included, naming a contact the actor may not see.
                  const inbox = pick([...before.inboxes, ...before.personalInboxes], op.a);
                  const contact = op.flag ? undefined : pick(before.contacts, op.b);
                  return (
                    inbox &&
                    call('POST', `/inboxes/${inbox.id}/conversations`, contact ? { contactId: contact.id } : {})
                  );
                }
                case 'moveConversation': {
                  // Half the time into the actor's own personal inbox (where a shared conversation must never go).
                  const conv = pick(before.conversations, op.a);
                  const own = before.personalInboxes.find((i) => i.ownerMemberId === actor.id);
                  const inbox = op.flag && own ? own : pick([...before.inboxes, ...before.personalInboxes], op.b);
                  return conv && inbox && call('POST', `/conversations/${conv.id}/move`, { inboxId: inbox.id });
                }
                case 'assign': {
                  // Anyone to anyone: the assignee must be able to work in the inbox (409 otherwise).
                  const conv = pick(before.conversations, op.c);
                  return conv && target && call('POST', `/conversations/${conv.id}/assign`, { memberId: target.id });
                }
                case 'createScimToken':
                  return call('POST', '/scim/tokens', { name: 'IdP', maxRoleId: pick(roleIds, op.b) });
                case 'revokeScimToken': {
                  const k = pick(before.scimTokens, op.a);
                  return k && call('DELETE', `/scim/tokens/${k.id}`);
                }
                case 'scimProvision':
                case 'scimRole':
                case 'scimActive':
                case 'scimGroup': {
                  if (!scimToken) return undefined;
                  const scim = (method: string, path: string, body?: unknown) =>
                    t.call(method, `${base}/scim/v2${path}`, {
                      token: scimSecrets.get(scimToken.id)!,
                      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/scim+json' } }),
                    });
                  const roles = [{ value: pick(roleIds, op.b), primary: true }];
                  const scimUser = pick(before.scimUsers, op.a);
                  const patch = (Operations: unknown[]) =>
                    scimUser &&
                    scim('PATCH', `/Users/${scimUser.memberId}`, {
                      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
                      Operations,
                    });
                  if (op.kind === 'scimProvision') {
                    // Half the time an email the sequence invites: provisioning supersedes a pending invitation.
                    const email = `${op.c % 2 ? 'p' : 's'}${op.a % 3}-${ws.slice(-6)}@example.test`;
                    return scim('POST', '/Users', {
                      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
                      userName: email,
                      emails: [{ value: email, primary: true, type: 'work' }],
                      active: true,
                      ...(op.flag ? { roles } : {}),
                    });
                  }
                  if (op.kind === 'scimRole') return patch([{ op: 'replace', path: 'roles', value: roles }]);
                  if (op.kind === 'scimActive')
                    return patch([{ op: 'Replace', path: 'active', value: op.flag ? 'True' : 'False' }]);
                  // A group the workspace maps to a role: pushed with some provisioned members (made, or patched).
                  const name = op.flag ? 'Leads' : 'Admins';
                  const group = before.teams.find((x) => x.managedBy === 'scim' && x.name === name);
                  const members = subset(
                    before.scimUsers.map((u) => String(u.memberId)),
                    op.b,
                  ).map((value) => ({ value }));
                  return group
                    ? scim('PATCH', `/Groups/${group.id}`, {
                        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
                        Operations: [{ op: op.c % 2 ? 'add' : 'remove', path: 'members', value: members }],
                      })
                    : scim('POST', '/Groups', { displayName: name, members });
                }
                case 'tick': {
                  // Past every grant and term made so far (they last an hour), then the sweep: honoured or
                  // not, nobody holds more after it than before.
                  clockOffset += 61 * 60_000;
                  setClockForTests({ offsetMs: clockOffset });
                  return t.call('POST', '/dev/sweep-grants', { body: { workspaceIds: [ws] } });
                }
              }
            });
            const replies = await Promise.all(runs);
            seen.steps++;
            if (step.length > 1) seen.concurrent++;
            for (const [i, r] of replies.entries()) {
              if (!r) continue;
              expect(r.status, `${step[i]?.kind}: ${r.text}`).toBeLessThan(500);
              // Issue 16: nothing about oneself is accepted, whichever credential of the person asked.
              expect(selfOps[i] === true && r.status < 300, `${step[i]?.kind} on oneself: ${r.text}`).toBe(false);
              if (step[i]?.kind === 'createApiKey' && r.status === 201) keySecrets.set(r.body.id, r.body.key);
              if (step[i]?.kind === 'createScimToken' && r.status === 201) scimSecrets.set(r.body.id, r.body.token);
              const via = `viaKey:${r.status < 300 ? 'ok' : 'no'}`;
              if (keyOps[i]) seen.kinds.set(via, (seen.kinds.get(via) ?? 0) + 1);
              seen[r.status < 300 ? 'accepted' : 'refused']++;
              const k = `${step[i]?.kind}:${r.status < 300 ? 'ok' : 'no'}`;
              seen.kinds.set(k, (seen.kinds.get(k) ?? 0) + 1);
            }
            state = await readState(ws, orgId, users);
            checkStructure(state);
            checkNoEscalation(before, state, actorIds);
            checkLinks(before, state, actorIds);
            checkAssignees(
              state,
              step.map((o) => o.kind),
            );
            checkApprovals(
              before,
              state,
              actorIds,
              step.map((o) => o.kind),
            );
          }
        },
      ),
      { numRuns: RUNS, ...REPLAY },
    );
    console.info('escalation property outcomes', JSON.stringify({ ...seen, kinds: Object.fromEntries(seen.kinds) }));
    // The sequences exercised real decisions: both outcomes on the access-changing paths (a short local
    // run, ESCALATION_RUNS below 200, is too small to meet every path and checks only the invariants).
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.concurrent).toBeGreaterThan(0);
    for (const kind of RUNS < 200 ? [] : MUST_ACCEPT) {
      expect(seen.kinds.get(`${kind}:ok`) ?? 0, `${kind} accepted`).toBeGreaterThan(0);
    }
  }, 3_600_000);
});
