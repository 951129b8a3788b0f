// SCIM Users ↔ members (PRODUCT.md §12). A provisioned user is a member at once, holding a seat within the plan
// (the seat counter's condition, in the member's transaction: exactly K of N when K seats remain; one created
// `active: false` is written deactivated and holds none), with a
// placeholder user id until the first sign-in whose verified email equals its userName binds it (bind.ts).
// `active: false` deactivates through the deactivation service (seat freed, keys stopped, history kept),
// `active: true` reactivates with the same role and teams, DELETE removes; roles come from settings.scim within
// the token's ceiling through the guard. Every change is audited with source `scim` and the token id.

import type { Access } from '../access';
import { openRequest } from '../access-requests/service';
import { now } from '../clock';
import { conversationReleases } from '../conversations/releases';
import { tableName } from '../db/client';
import { getItem, putNew, type TransactItem, transact } from '../db/ops';
import { Conflict, Forbidden, InvalidRequest, InviteRuleViolated, PlanLimit } from '../errors';
import { assertMayAssign, assertMayChangeRole, assertMayManage, needsApproval } from '../grants/guard';
import { newId } from '../ids';
import { getInbox } from '../inboxes/repository';
import * as invitations from '../invitations/repository';
import { assertInviteDomain } from '../invitations/rules';
import { logger } from '../logging';
import { toMember } from '../members/repository';
import type { Member } from '../members/schema';
import { type ScimSettings, scimSettingsOf } from '../members/scim-settings';
import { changeRole, removeMember } from '../members/service';
import { deactivateMember, reactivateMember } from '../members/status';
import { isBuiltinRoleId } from '../permissions/roles';
import { seatHandOver, seatRelease, seatTake } from '../seats/items';
import { withSeat } from '../seats/limit';
import { actorOf, auditItem } from '../table/audit/entry';
import { inboxStillExists } from '../table/inboxes/items';
import { pendingEmailKey } from '../table/invitations/keys';
import { emailKeyOf, memberItems } from '../table/members/items';
import { memberEmailKey } from '../table/members/keys';
import { builtinHolderUpdate, roleHolderUpdate } from '../table/roles/holders';
import { roleKey } from '../table/roles/keys';
import { scimBindKey, scimLockKey, scimUserKey, unboundUserId } from '../table/scim/keys';
import { invalidValue, notFound, ScimError, seatRefusal, uniqueness } from './errors';
import { compile, matches, parseFilter } from './filter';
import { applyUserPatch, booleanOf, emailsOf, type PatchOperation, rolesOf, type UserDoc } from './patch';
import * as repo from './repository';
import { etagOf, type ListParams, listResponse, type ResourceBase, USER_SCHEMA } from './wire';

type Item = Record<string, unknown>;

const MAX_TEXT = 256;
const text = (v: unknown, what: string, required = false): string | undefined => {
  if (v === undefined || v === null) {
    if (required) throw invalidValue(`${what} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length > MAX_TEXT || (required && v.trim() === '')) {
    throw invalidValue(`${what} must be a string of at most ${MAX_TEXT} characters`);
  }
  return v;
};

/** A User resource of a POST or PUT as the document kept (password and unknown attributes are dropped). */
export function userDocOf(body: unknown): UserDoc {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidValue('A User resource is a JSON object');
  const name = b.name as Record<string, unknown> | undefined;
  if (name !== undefined && (typeof name !== 'object' || name === null)) throw invalidValue('name must be an object');
  const doc: UserDoc = {
    userName: (text(b.userName, 'userName', true) as string).trim(),
    active: b.active === undefined ? true : booleanOf(b.active, 'active'),
  };
  const externalId = text(b.externalId, 'externalId');
  if (externalId !== undefined) doc.externalId = externalId;
  const displayName = text(b.displayName, 'displayName');
  if (displayName !== undefined) doc.displayName = displayName;
  if (name) {
    doc.name = {};
    for (const k of ['givenName', 'familyName', 'formatted'] as const) {
      const v = text(name[k], `name.${k}`);
      if (v !== undefined) doc.name[k] = v;
    }
  }
  if (b.emails !== undefined && b.emails !== null) doc.emails = emailsOf(b.emails).slice(0, 10);
  if (b.roles !== undefined && b.roles !== null) doc.roles = rolesOf(b.roles).slice(0, 10);
  return doc;
}

/** The email a member is known by: the primary (or work, or first) email, else the userName. */
const memberEmailOf = (doc: UserDoc) =>
  (doc.emails?.find((e) => e.primary) ?? doc.emails?.find((e) => e.type === 'work') ?? doc.emails?.[0])?.value ??
  doc.userName;

/**
 * The role SCIM gives (rolesFrom "idp"): the first `groupRoles` entry naming one of the user's groups (by id or
 * display name, case-insensitive), else the user's `roles` value (primary first), else `defaultRoleId`.
 */
export function roleFromIdp(settings: ScimSettings, doc: UserDoc, groups: readonly { id: string; name: string }[]) {
  for (const gr of settings.groupRoles) {
    const g = gr.group.toLowerCase();
    if (groups.some((x) => x.id === gr.group || x.name.toLowerCase() === g)) return gr.roleId;
  }
  return namedRole(doc) ?? settings.defaultRoleId;
}

/**
 * The workspace's inviteDomains bind provisioning as they bind invitations (shared/invitations/rules.ts): the
 * userName a sign-in binds by, and the member's email, must be of a listed domain (SCIM's 400 invalidValue).
 */
function assertDomainAllowed(access: Access, email: string): void {
  try {
    assertInviteDomain(access.workspace.settings, email, 'invite');
  } catch (err) {
    if (err instanceof InviteRuleViolated) throw invalidValue(err.message);
    throw err;
  }
}

/** The member's teams the mapping looks at: groups the identity provider manages, never teams made in the app. */
const scimGroupsOf = (teams: readonly Item[]) =>
  teams.filter((t) => t.managedBy === 'scim').map((t) => ({ id: t.id as string, name: t.name as string }));

/** The role a user's `roles` value names (primary first), if any. */
const namedRole = (doc: UserDoc): string | undefined => {
  const roles = doc.roles ?? [];
  return (roles.find((r) => r.primary) ?? roles[0])?.value;
};

const audit = (access: Access, action: string, memberId: string, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'member', id: memberId },
    before,
    after,
  });

export interface UserView extends ResourceBase {
  userName: string;
  active: boolean;
  [attribute: string]: unknown;
}

export function userView(base: string, member: Member, r: repo.ScimUserRecord, teams: readonly Item[]): UserView {
  const version = etagOf(r.version, member.version ?? 1);
  return {
    schemas: [USER_SCHEMA],
    id: member.id,
    ...(r.externalId !== undefined ? { externalId: r.externalId } : {}),
    userName: r.userName,
    ...(r.name ? { name: r.name } : {}),
    ...(r.displayName !== undefined ? { displayName: r.displayName } : {}),
    emails: r.emails ?? [{ value: member.email, type: 'work', primary: true }],
    active: member.status !== 'deactivated',
    groups: teams
      .filter((t) => member.teamIds.includes(t.id as string))
      .map((t) => ({ value: t.id as string, display: t.name as string, type: 'direct' })),
    roles: [{ value: member.roleId, primary: true }],
    meta: {
      resourceType: 'User',
      created: r.created,
      lastModified: r.lastModified,
      location: `${base}/Users/${member.id}`,
      version,
    },
  };
}

/** A member and its SCIM document, or 404 (a member the identity provider did not provision is not a SCIM user). */
async function readUser(access: Access, memberId: string) {
  const [found] = await repo.readUsers(access.workspace.id, [memberId]);
  if (!found?.member || !found.scim) throw notFound('User');
  return { member: toMember(found.member), scim: repo.toScimUser(found.scim) };
}

async function view(access: Access, base: string, member: Member, r: repo.ScimUserRecord): Promise<UserView> {
  return userView(base, member, r, await repo.readTeams(access.workspace.id, member.teamIds));
}

export async function getUser(access: Access, base: string, memberId: string): Promise<UserView> {
  const { member, scim } = await readUser(access, memberId);
  return view(access, base, member, scim);
}

export async function listUsers(access: Access, base: string, params: ListParams) {
  const wsId = access.workspace.id;
  const filter = params.filter ? parseFilter('User', params.filter) : undefined;
  const ids = filter ? await repo.lookupIds(wsId, 'User', compile(filter)) : await repo.allUserIds(wsId);
  // A filtered lookup reads only what its Query found; an unfiltered list reads the page asked for.
  const candidates = filter ? ids : ids.slice(params.startIndex - 1, params.startIndex - 1 + params.count);
  const read = (await repo.readUsers(wsId, candidates)).filter((u) => u.member && u.scim);
  let users = read.map((u) => ({ member: toMember(u.member as Item), scim: repo.toScimUser(u.scim as Item) }));
  if (filter) {
    users = users.filter(({ member, scim }) =>
      matches(filter, {
        id: [member.id],
        userName: [scim.userName],
        externalId: scim.externalId !== undefined ? [scim.externalId] : [],
        displayName: scim.displayName !== undefined ? [scim.displayName] : [],
        workEmail: (scim.emails ?? []).filter((e) => e.type === 'work').map((e) => e.value),
      }),
    );
  }
  const total = filter ? users.length : ids.length;
  const page = filter ? users.slice(params.startIndex - 1, params.startIndex - 1 + params.count) : users;
  const teams = await repo.readTeams(wsId, [...new Set(page.flatMap((u) => u.member.teamIds))]);
  return listResponse(
    page.map((u) => userView(base, u.member, u.scim, teams)),
    total,
    params.startIndex,
  );
}

/**
 * The role a new user starts with. The token's ceiling bounds it, through the one guard (400 for a role that does
 * not exist, 403 above it). requireApprovalFor binds a token as anyone but the Owner: provisioning never gives a
 * listed role, the user starts at the workspace's defaultRoleId (else member) and the listed role is not given
 * (logged); when every one of them is listed, 403.
 */
async function provisionedRole(access: Access, settings: ScimSettings, doc: UserDoc): Promise<string> {
  const wanted = roleFromIdp(settings, doc, []);
  for (const roleId of new Set([wanted, settings.defaultRoleId, 'member'])) {
    const role = await assertMayAssign(access, roleId, 'provisioning a user through SCIM', 'roles');
    if (needsApproval(access, role.permissions, roleId)) continue;
    if (roleId !== wanted) logger.warn('SCIM role needs approval: provisioned at the default role', { wanted, roleId });
    return roleId;
  }
  throw new Forbidden(`requireApprovalFor lists the role "${wanted}" and the default role: provisioning gives neither`);
}

/**
 * A pending invitation for the email a provisioned user is known by: the identity provider now brings that person,
 * so the invitation is consumed by the provisioning (closed as `revoked`, audited `invitation.scim.supersede`, in
 * the same transaction) and the SCIM user takes its place, with its seat: the seat it holds is handed over (as on
 * accept), the role is the one SCIM gives (the identity provider decides roles), and the inboxes the invitation
 * carried are the member's (as on accept: reach the inviter could give, neither gained nor lost by the provider).
 * Returns the items, the inboxes, and whether a seat changes hands.
 */
interface Superseding {
  items: TransactItem[];
  /** The invitation's inboxes still there (each checked in the transaction, as on accept). */
  inboxIds: string[];
  handsOverSeat: boolean;
  roleCounted: boolean;
}

const noPendingInvitation = (wsId: string, email: string): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: pendingEmailKey(wsId, emailKeyOf(email)),
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

async function supersededInvitation(
  access: Access,
  email: string,
  roleId: string,
  memberId: string,
  at: string,
): Promise<Superseding | undefined> {
  const wsId = access.workspace.id;
  const { pendingId } = await invitations.lookupEmail(wsId, emailKeyOf(email));
  const inv = pendingId ? await invitations.getInvitation(wsId, pendingId) : undefined;
  if (inv?.status !== 'pending') return undefined;
  // The invitation's role and the member's are one holder item when both are the same custom role.
  const sameCustomRole = inv.roleId === roleId && !isBuiltinRoleId(roleId);
  const inboxes = await Promise.all(inv.inboxIds.map((id) => getInbox(wsId, id)));
  const inboxIds = inboxes.flatMap((i) => (i ? [i.id] : []));
  return {
    inboxIds,
    items: [
      ...invitations.closeInvitationItems(inv, 'revoked', at),
      ...inboxIds.map((id) => inboxStillExists(wsId, id)),
      sameCustomRole
        ? {
            Update: {
              TableName: tableName,
              Key: roleKey(wsId, roleId),
              UpdateExpression:
                'SET inviteCount = inviteCount - :one, memberCount = if_not_exists(memberCount, :zero) + :one',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            },
          }
        : roleHolderUpdate(wsId, inv.roleId, 'inviteCount', -1),
      putNew(
        auditItem({
          workspaceId: wsId,
          actor: actorOf(access),
          action: 'invitation.scim.supersede',
          target: { type: 'invitation', id: inv.id },
          before: { status: 'pending', email: inv.email, roleId: inv.roleId },
          after: { status: 'revoked', memberId },
        }),
      ),
    ].flat(),
    handsOverSeat: !inv.seatReleased,
    roleCounted: sameCustomRole,
  };
}

export async function createUser(access: Access, base: string, body: unknown): Promise<UserView> {
  const wsId = access.workspace.id;
  const doc = userDocOf(body);
  const settings = scimSettingsOf(access.workspace);
  assertDomainAllowed(access, doc.userName);
  assertDomainAllowed(access, memberEmailOf(doc));
  const roleId = await provisionedRole(access, settings, doc);
  const at = now().toISOString();
  const memberId = newId('mem');
  const member: Member = {
    id: memberId,
    userId: unboundUserId(memberId),
    email: memberEmailOf(doc),
    roleId,
    inboxIds: [],
    teamIds: [],
    joinedAt: at,
    // Created inactive (Entra's disabled accounts): deactivated from the start, in the one provisioning write.
    ...(doc.active ? {} : { status: 'deactivated' as const, deactivatedAt: at }),
  };
  const record: repo.ScimUserRecord = {
    memberId,
    userName: doc.userName,
    ...(doc.externalId !== undefined ? { externalId: doc.externalId } : {}),
    ...(doc.displayName !== undefined ? { displayName: doc.displayName } : {}),
    ...(doc.name ? { name: doc.name } : {}),
    ...(doc.emails ? { emails: doc.emails } : {}),
    ...(doc.roles ? { roles: doc.roles } : {}),
    created: at,
    lastModified: at,
    version: 1,
    tokenId: access.scimTokenId ?? '',
  };
  const max = access.plan.limits.seats ?? null;
  const provision = async (invitation: Superseding | undefined) => {
    const items: TransactItem[] = [
      // The member item says who manages it, so the API's role and team writes can answer 409 managed_by_scim; a
      // member created inactive has its pointer marked as a deactivation marks it (the authorizer reads it).
      ...memberItems(wsId, { ...member, inboxIds: invitation?.inboxIds ?? [] }).map((i) =>
        putNew(
          i.entity === 'Member'
            ? { ...i, managedBy: 'scim' }
            : i.entity === 'Membership' && !doc.active
              ? { ...i, status: 'deactivated' }
              : i,
        ),
      ),
      ...(invitation?.roleCounted ? [] : roleHolderUpdate(wsId, roleId, 'memberCount', 1)),
      ...builtinHolderUpdate(wsId, roleId, 1),
      // The seats module's one rule (shared/seats/limit.ts): a new seat below the maximum, or the invitation's seat
      // handed over (not above it), as invite and accept take theirs. A member created inactive holds no seat (the
      // invitation's, if it held one, is given back).
      ...(doc.active
        ? [invitation?.handsOverSeat ? seatHandOver(wsId, max) : seatTake(wsId, max)]
        : invitation?.handsOverSeat
          ? [seatRelease(wsId)]
          : []),
      // No invitation read: none may be pending for the email (else refused, and provisioned again over it).
      ...(invitation?.items ?? [noPendingInvitation(wsId, member.email)]),
      putNew(repo.scimUserItem(wsId, record)),
      ...repo.userIndexItems(wsId, memberId, doc).map(putNew),
      putNew({
        ...scimBindKey(emailKeyOf(doc.userName), wsId, memberId),
        entity: 'ScimBind',
        workspaceId: wsId,
        memberId,
      }),
      putNew(audit(access, 'member.scim.provision', memberId, null, { ...member, userName: doc.userName })),
    ];
    const write = () => transact(items, 'The user could not be provisioned');
    if (!doc.active) return write();
    await withSeat(wsId, { planId: access.plan.id, max }, invitation?.handsOverSeat ? 'handOver' : 'take', write);
  };
  try {
    try {
      await provision(undefined);
    } catch (err) {
      // Refused: an invitation pending for the email is superseded (read only then: the common path reads nothing).
      // (A full plan too: the invitation's seat may be the last one, and it is handed over.)
      const refused = err instanceof Conflict || err instanceof PlanLimit;
      const invitation = refused ? await supersededInvitation(access, member.email, roleId, memberId, at) : undefined;
      if (!invitation) throw err;
      await provision(invitation);
      member.inboxIds = invitation.inboxIds;
    }
  } catch (err) {
    // SCIM's answer to a full plan (the same 409 whichever path found it full).
    if (err instanceof Conflict) await explainCreate(access, doc, member.email);
    throw seatRefusal(err);
  }
  return userView(base, { ...member, version: member.version ?? 1 }, record, []);
}

/** Why a provisioning transaction was refused (the seat was judged by withSeat): a taken userName or email. */
async function explainCreate(access: Access, doc: UserDoc, email: string): Promise<void> {
  const wsId = access.workspace.id;
  if (await getItem(scimLockKey(wsId, 'userName', doc.userName))) {
    throw uniqueness(`userName "${doc.userName}" is already provisioned`);
  }
  if (await getItem(memberEmailKey(wsId, emailKeyOf(email)))) {
    throw uniqueness(`A member with the email "${email}" already exists in this workspace`);
  }
  if (await getItem(pendingEmailKey(wsId, emailKeyOf(email)))) {
    throw new ScimError(409, 'The invitation for this email changed meanwhile: retry');
  }
  if (doc.roles?.length || scimSettingsOf(access.workspace).groupRoles.length) {
    throw invalidValue('The role given no longer exists');
  }
}

/** PUT: the whole user replaced (Okta sends active:false this way too). */
export async function replaceUser(access: Access, base: string, memberId: string, body: unknown, ifMatch?: string) {
  const doc = userDocOf(body);
  return updateUser(access, base, memberId, () => doc, ifMatch);
}

export async function patchUser(
  access: Access,
  base: string,
  memberId: string,
  ops: PatchOperation[],
  ifMatch?: string,
) {
  // The patched document passes the checks a POST's does (lengths, at most 10 emails and roles).
  return updateUser(access, base, memberId, (current) => userDocOf(applyUserPatch(current, ops)), ifMatch);
}

const docOf = (r: repo.ScimUserRecord, member: Member): UserDoc => ({
  userName: r.userName,
  active: member.status !== 'deactivated',
  ...(r.externalId !== undefined ? { externalId: r.externalId } : {}),
  ...(r.displayName !== undefined ? { displayName: r.displayName } : {}),
  ...(r.name ? { name: r.name } : {}),
  ...(r.emails ? { emails: r.emails } : {}),
  ...(r.roles ? { roles: r.roles } : {}),
});

/**
 * A PUT or PATCH of a User is one write, all or nothing (RFC 7644 §3.5.2): everything is decided first (the new
 * document, the guard's checks), then the document's items ride in the one transaction of the member change the
 * request makes, if any: the role the identity provider gives, a deactivation, or a reactivation within the plan's
 * seats (withSeat, the seats module's one rule). A refused request (no seat left, too many API keys to suspend, the
 * guard, a taken userName) writes nothing and audits nothing.
 */
async function updateUser(
  access: Access,
  base: string,
  memberId: string,
  change: (current: UserDoc) => UserDoc,
  ifMatch?: string,
): Promise<UserView> {
  const wsId = access.workspace.id;
  const { member, scim } = await readUser(access, memberId);
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(scim.version, member.version ?? 1)) {
    throw new ScimError(412, 'The user changed since that version (If-Match)');
  }
  const before = docOf(scim, member);
  const asked = change(before);
  if (asked.userName.trim() === '' || asked.userName.length > MAX_TEXT) throw invalidValue('userName is required');
  const deactivating = before.active && !asked.active;
  const reactivating = !before.active && asked.active;
  // The roles value is the identity provider's say on the role of a member active before and after the request:
  // one deactivated keeps its role (PRODUCT §10), so its value is not kept either and counts as a change once the
  // member is active again (kept now, it would never be given).
  const staysActive = before.active && asked.active;
  const { roles: _asked, ...rest } = asked;
  const keptRoles = staysActive ? asked.roles : before.roles;
  const after: UserDoc = { ...rest, ...(keptRoles ? { roles: keptRoles } : {}) };
  const docChanged = JSON.stringify({ ...before, active: true }) !== JSON.stringify({ ...after, active: true });
  const rolesChanged = JSON.stringify(before.roles) !== JSON.stringify(after.roles);
  const settings = scimSettingsOf(access.workspace);
  const teams = await repo.readTeams(wsId, member.teamIds);
  const idpRole =
    settings.rolesFrom === 'idp' && staysActive && rolesChanged
      ? roleFromIdp(settings, after, scimGroupsOf(teams))
      : undefined;
  if (emailKeyOf(before.userName) !== emailKeyOf(after.userName)) assertDomainAllowed(access, after.userName);
  if (docChanged || before.active !== after.active) {
    // Every write needs the right to manage what the member holds, decided before anything is stored: a
    // low-ceiling token never rebinds (userName of an unbound member), re-roles or deactivates a higher one.
    await assertMayManage(access, member, 'changed through SCIM');
    // A roles value is a role SCIM gives, now or at a later group change: within the ceiling before it is kept.
    const named = JSON.stringify(before.roles) !== JSON.stringify(asked.roles) ? namedRole(asked) : undefined;
    if (named !== undefined) await assertMayAssign(access, named, 'a SCIM roles value', 'roles');
    if (idpRole !== undefined && idpRole !== member.roleId) await assertMayChangeRole(access, member, idpRole);
  }
  let record = scim;
  const docItems: TransactItem[] = [];
  if (docChanged) {
    record = {
      memberId,
      userName: after.userName,
      ...(after.externalId !== undefined ? { externalId: after.externalId } : {}),
      ...(after.displayName !== undefined ? { displayName: after.displayName } : {}),
      ...(after.name ? { name: after.name } : {}),
      ...(after.emails ? { emails: after.emails } : {}),
      ...(after.roles ? { roles: after.roles } : {}),
      created: scim.created,
      lastModified: now().toISOString(),
      version: scim.version + 1,
      tokenId: access.scimTokenId ?? scim.tokenId,
    };
    const unbound = member.userId === unboundUserId(memberId);
    const rebind =
      unbound && emailKeyOf(before.userName) !== emailKeyOf(after.userName)
        ? [
            { Delete: { TableName: tableName, Key: scimBindKey(emailKeyOf(before.userName), wsId, memberId) } },
            putNew({
              ...scimBindKey(emailKeyOf(after.userName), wsId, memberId),
              entity: 'ScimBind',
              workspaceId: wsId,
              memberId,
            }),
          ]
        : [];
    docItems.push(
      {
        Put: {
          TableName: tableName,
          Item: repo.scimUserItem(wsId, record),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': scim.version },
        },
      },
      ...repo.indexMoves(repo.userIndexItems(wsId, memberId, before), repo.userIndexItems(wsId, memberId, after)),
      ...rebind,
      putNew(audit(access, 'member.scim.update', memberId, before, after)),
    );
  }
  let current: Member = member;
  try {
    if (idpRole !== undefined && idpRole !== member.roleId) {
      // Roles from the identity provider (checked above): the document goes with the role change, or with the
      // access request requireApprovalFor makes of it.
      const changed = await changeRole(
        access,
        memberId,
        idpRole,
        undefined,
        (spec) => openRequest(access, memberId, spec, docItems),
        conversationReleases,
        docItems,
      );
      if ('id' in changed) current = changed;
    } else if (deactivating) {
      current = await deactivateMember(access, memberId, conversationReleases, docItems);
    } else if (reactivating) {
      // The seat by the same rule as a create (withSeat in reactivateMember), refused with the same SCIM answer.
      current = await reactivateMember(access, memberId, docItems);
    } else if (docItems.length > 0) {
      await transact(docItems, 'The user changed meanwhile, or the userName is taken');
    }
  } catch (err) {
    if (err instanceof Conflict && docItems.length > 0) await explainUpdate(wsId, memberId, scim.version, after);
    throw seatRefusal(err);
  }
  return view(access, base, current, record);
}

/** Why a write carrying the document was refused, when the document is why: a taken userName, or a newer version. */
async function explainUpdate(wsId: string, memberId: string, version: number, after: UserDoc): Promise<void> {
  const lock = await getItem<Item>(scimLockKey(wsId, 'userName', after.userName));
  if (lock && lock.memberId !== memberId) throw uniqueness(`userName "${after.userName}" is already provisioned`);
  const stored = await getItem<Item>(scimUserKey(wsId, memberId));
  if (!stored || stored.version !== version) throw new ScimError(412, 'The user changed meanwhile: read it again');
}

/**
 * DELETE: the member is removed (as DELETE /members/{id}) with its SCIM items in the same transaction: a removal
 * that fails leaves the user whole (its userName lock, index and bind items included), and the retry removes it.
 */
export async function deleteUser(access: Access, memberId: string): Promise<void> {
  const wsId = access.workspace.id;
  const { member, scim } = await readUser(access, memberId);
  const doc = docOf(scim, member);
  await removeMember(access, memberId, conversationReleases, [
    // At the version read: the index items deleted are this document's (a PUT meanwhile makes this a 409).
    {
      Delete: {
        TableName: tableName,
        Key: scimUserKey(wsId, memberId),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': scim.version },
      },
    },
    ...repo
      .userIndexItems(wsId, memberId, doc)
      .map(
        (i): TransactItem => ({ Delete: { TableName: tableName, Key: { PK: i.PK as string, SK: i.SK as string } } }),
      ),
    { Delete: { TableName: tableName, Key: scimBindKey(emailKeyOf(doc.userName), wsId, memberId) } },
  ]);
}

/** Members whose role SCIM gives again at once (a group change): bounded parallelism on the table. */
const ROLE_PARALLELISM = 4;

/**
 * After a group's members changed: with rolesFrom idp and a group → role mapping, each provisioned member
 * touched gets the role the mapping (then its `roles` value, then the default) gives now, within the ceiling.
 * A role the ceiling refuses leaves the member as it was (the change of membership stands).
 */
export async function applyGroupRoles(access: Access, memberIds: readonly string[]): Promise<void> {
  const settings = scimSettingsOf(access.workspace);
  if (settings.rolesFrom !== 'idp' || settings.groupRoles.length === 0 || memberIds.length === 0) return;
  const queue = [...new Set(memberIds)];
  const work = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const [found] = await repo.readUsers(access.workspace.id, [id]);
      if (!found?.member || !found.scim) continue;
      const member = toMember(found.member);
      if (member.status === 'deactivated') continue;
      const scim = repo.toScimUser(found.scim);
      const teams = await repo.readTeams(access.workspace.id, member.teamIds);
      const roleId = roleFromIdp(settings, docOf(scim, member), scimGroupsOf(teams));
      if (roleId === member.roleId) continue;
      try {
        await changeRole(access, id, roleId, undefined, (spec) => openRequest(access, id, spec), conversationReleases);
      } catch (err) {
        // Above the token's ceiling, or a mapped role deleted since: the member keeps its role.
        if (!(err instanceof Forbidden || err instanceof InvalidRequest)) throw err;
        logger.warn('SCIM group role not given', { memberId: id, roleId, reason: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: ROLE_PARALLELISM }, work));
}
