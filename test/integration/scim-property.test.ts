// SCIM as a model (issue 18, fast-check over HTTP against DynamoDB Local): random interleavings of what Okta and
// Entra really send (POST users, PUT with the whole user, PATCH active as a boolean or "False", path-less replace
// with dotted and URN-qualified keys, group create, group PATCH add/remove with `members[value eq "…"]` paths and
// Entra's value lists, `replace members []`, DELETE, reactivation) against a small model of users, groups and the
// roles a group mapping gives. After every step the API's state (SCIM Users and Groups, and the /v1 members and
// teams routes) equals the model, and every answer is the one the model predicts (never a 5xx).
// SCIM_PROPERTY_RUNS sets the number of sequences (default 10: under a minute on a shared 2-core machine).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import {
  SCIM_ENTERPRISE as ENTERPRISE,
  SCIM_GROUP as GROUP,
  SCIM_PATCH as PATCH,
  SCIM_USER as USER,
} from '../fixtures/scim';

const RUNS = Number(process.env.SCIM_PROPERTY_RUNS ?? 10);

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

/** The group → role mapping of every sequence's workspace: ordered, first match wins. */
const GROUP_ROLES = [
  { group: 'Leads', roleId: 'manager' },
  { group: 'Support', roleId: 'agent' },
];
const GROUP_NAMES = ['Leads', 'Support', 'Sales', 'support'];
const USER_NAMES = 4;

interface ModelUser {
  id: string;
  userName: string;
  active: boolean;
  displayName: string;
  givenName: string;
  roleId: string;
}
interface Model {
  users: Map<string, ModelUser>;
  groups: Map<string, { name: string; members: Set<string> }>;
}

/** The role the mapping gives a user in these groups (no `roles` value is ever sent: else the default). */
function mappedRole(m: Model, userId: string): string {
  for (const gr of GROUP_ROLES) {
    for (const g of m.groups.values()) {
      if (g.name.toLowerCase() === gr.group.toLowerCase() && g.members.has(userId)) return gr.roleId;
    }
  }
  return 'member';
}
/** After a group's members changed: each touched member still active takes the role the mapping gives now. */
function remap(m: Model, touched: Iterable<string>) {
  for (const id of touched) {
    const u = m.users.get(id);
    if (u?.active) u.roleId = mappedRole(m, id);
  }
}

type Op =
  | { kind: 'create'; u: number; entra: boolean; active: boolean }
  | { kind: 'put'; target: number; active: boolean; name: number }
  | { kind: 'active'; target: number; value: boolean; form: number }
  | { kind: 'names'; target: number; name: number; urn: boolean }
  | { kind: 'deleteUser'; target: number }
  | { kind: 'createGroup'; name: number; members: number }
  | { kind: 'groupAdd'; target: number; members: number; entra: boolean }
  | { kind: 'groupRemove'; target: number; members: number; entra: boolean }
  | { kind: 'groupMixed'; target: number; add: number; remove: number }
  | { kind: 'groupClear'; target: number }
  | { kind: 'deleteGroup'; target: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      u: fc.nat(),
      entra: fc.boolean(),
      active: fc.boolean(),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      target: fc.nat(),
      active: fc.boolean(),
      name: fc.nat(3),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('active' as const),
      target: fc.nat(),
      value: fc.boolean(),
      form: fc.nat(5),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('names' as const), target: fc.nat(), name: fc.nat(3), urn: fc.boolean() }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('deleteUser' as const), target: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('createGroup' as const), name: fc.nat(), members: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('groupAdd' as const),
      target: fc.nat(),
      members: fc.nat(),
      entra: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('groupRemove' as const),
      target: fc.nat(),
      members: fc.nat(),
      entra: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('groupMixed' as const),
      target: fc.nat(),
      add: fc.nat(),
      remove: fc.nat(),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('groupClear' as const), target: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deleteGroup' as const), target: fc.nat() }), weight: 1 },
);

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);
/** The elements of `xs` whose bit is set in `mask`. */
const subset = <T>(xs: readonly T[], mask: number): T[] => xs.filter((_, i) => (mask >> i) & 1);
const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'];
/** The forms providers send an active flag in: Okta's boolean and path-less object, Entra's capitalised op and string. */
function activeOp(value: boolean, form: number) {
  switch (form) {
    case 0:
      return { op: 'replace', path: 'active', value };
    case 1:
      return { op: 'Replace', path: 'active', value: value ? 'True' : 'False' };
    case 2:
      return { op: 'replace', value: { active: value } };
    case 3:
      return { op: 'Add', path: 'active', value: value ? 'True' : 'False' };
    case 4:
      return { op: 'Replace', value: { active: value ? 'true' : 'false' } };
    default:
      return { op: 'add', path: 'active', value };
  }
}

const sortedIds = (xs: Iterable<string>) => [...xs].sort();
const seen = new Map<string, number>();

describe('SCIM against a model of members, teams and roles', () => {
  it(`holds over ${RUNS} random interleavings of Okta and Entra operations`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 6, maxLength: 16 }), async (ops) => {
        const w = await createWorkspace(t, 'unlimited');
        const settings = await t.call('PATCH', `/v1/workspaces/${w.ws}`, {
          token: w.token,
          body: { settings: { scim: { groupRoles: GROUP_ROLES } } },
        });
        expect(settings.status, settings.text).toBe(200);
        const made = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
          token: w.token,
          body: { name: 'IdP', maxRoleId: 'admin' },
        });
        expect(made.status, made.text).toBe(201);
        const scim = (method: string, path: string, body?: unknown, json = false) =>
          t.call(method, `/v1/workspaces/${w.ws}/scim/v2${path}`, {
            token: made.body.token,
            ...(body !== undefined
              ? { body, headers: { 'content-type': json ? 'application/json' : 'application/scim+json' } }
              : {}),
          });
        const model: Model = { users: new Map(), groups: new Map() };
        const userName = (n: number) => `U${n % USER_NAMES}-${w.ws.slice(-8)}@Example.test`;
        /** Ids the provider may name: the model's users, and now and then one deleted or never known. */
        const deleted: string[] = [];
        // Mostly a user the model knows; one time in eight one deleted meanwhile or never known.
        const targetOf = (n: number) =>
          n % 8 === 7 || model.users.size === 0
            ? pick([...deleted, 'mem_unknown0000000000'], n >> 3)
            : pick([...model.users.keys()], n >> 3);
        const groupOf = (n: number) =>
          n % 8 === 7 || model.groups.size === 0 ? 'team_unknown000000000' : pick([...model.groups.keys()], n >> 3)!;

        // Every sequence starts from two users (one each way) in a mapped group, so removals and role changes have
        // something to act on from the first random step.
        const seed: Op[] = [
          { kind: 'create', u: 0, entra: false, active: true },
          { kind: 'create', u: 1, entra: true, active: true },
          { kind: 'createGroup', name: 1, members: 3 },
        ];
        for (const op of [...seed, ...ops]) {
          let expected: number;
          let res: { status: number; text: string; body: any };
          switch (op.kind) {
            case 'create': {
              const name = userName(op.u);
              const taken = [...model.users.values()].some((u) => u.userName.toLowerCase() === name.toLowerCase());
              const body = op.entra
                ? {
                    schemas: [USER, ENTERPRISE],
                    externalId: `entra-${op.u}`,
                    userName: name,
                    active: op.active,
                    displayName: 'Ada Lovelace',
                    emails: [{ primary: true, type: 'work', value: name }],
                    name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
                    [ENTERPRISE]: { department: 'Support' },
                  }
                : {
                    schemas: [USER],
                    userName: name,
                    name: { givenName: 'Ada', familyName: 'Lovelace' },
                    emails: [{ primary: true, value: name, type: 'work' }],
                    displayName: 'Ada Lovelace',
                    password: 'never-stored-1!',
                    active: op.active,
                  };
              res = await scim('POST', '/Users', body, op.entra);
              expected = taken ? 409 : 201;
              if (res.status === 201) {
                expect(res.text).not.toContain('never-stored');
                model.users.set(res.body.id, {
                  id: res.body.id,
                  userName: name,
                  active: op.active,
                  displayName: 'Ada Lovelace',
                  givenName: 'Ada',
                  roleId: 'member',
                });
              }
              break;
            }
            case 'put': {
              const id = targetOf(op.target)!;
              const u = model.users.get(id);
              res = await scim('PUT', `/Users/${id}`, {
                schemas: [USER],
                id,
                userName: u?.userName ?? userName(0),
                name: { givenName: u?.givenName ?? 'Ada', familyName: 'Lovelace' },
                emails: [{ primary: true, value: u?.userName ?? userName(0), type: 'work' }],
                displayName: NAMES[op.name],
                active: op.active,
              });
              expected = u ? 200 : 404;
              if (u) {
                u.displayName = NAMES[op.name]!;
                u.active = op.active;
              }
              break;
            }
            case 'active': {
              const id = targetOf(op.target)!;
              const u = model.users.get(id);
              res = await scim('PATCH', `/Users/${id}`, {
                schemas: [PATCH],
                Operations: [activeOp(op.value, op.form)],
              });
              expected = u ? 200 : 404;
              if (u) u.active = op.value;
              break;
            }
            case 'names': {
              // Entra: a path-less replace whose keys are dotted or URN-qualified.
              const id = targetOf(op.target)!;
              const u = model.users.get(id);
              const given = NAMES[op.name]!.split(' ')[0]!;
              const value = op.urn
                ? { [`${USER}:displayName`]: NAMES[op.name], [`${USER}:name.givenName`]: given }
                : { displayName: NAMES[op.name], 'name.givenName': given };
              res = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'Replace', value }] });
              expected = u ? 200 : 404;
              if (u) {
                u.displayName = NAMES[op.name]!;
                u.givenName = given;
              }
              break;
            }
            case 'deleteUser': {
              const id = targetOf(op.target)!;
              const u = model.users.get(id);
              res = await scim('DELETE', `/Users/${id}`);
              expected = u ? 204 : 404;
              if (u) {
                model.users.delete(id);
                deleted.push(id);
                for (const g of model.groups.values()) g.members.delete(id);
              }
              break;
            }
            case 'createGroup': {
              const name = GROUP_NAMES[op.name % GROUP_NAMES.length]!;
              const members = subset([...model.users.keys()], op.members);
              const taken = [...model.groups.values()].some((g) => g.name.toLowerCase() === name.toLowerCase());
              res = await scim('POST', '/Groups', {
                schemas: [GROUP],
                displayName: name,
                members: members.map((value) => ({ value })),
              });
              expected = taken ? 409 : 201;
              if (res.status === 201) {
                model.groups.set(res.body.id, { name, members: new Set(members) });
                remap(model, members);
              }
              break;
            }
            case 'groupAdd':
            case 'groupRemove':
            case 'groupMixed':
            case 'groupClear': {
              const gid = groupOf(op.target);
              const g = model.groups.get(gid);
              const users = [...model.users.keys()];
              let operations: unknown[];
              let add: string[] = [];
              let remove: string[] = [];
              if (op.kind === 'groupAdd') {
                add = subset(users, op.members);
                operations = [
                  { op: op.entra ? 'Add' : 'add', path: 'members', value: add.map((value) => ({ value })) },
                ];
              } else if (op.kind === 'groupRemove') {
                remove = subset(users, op.members);
                operations = op.entra
                  ? // Entra: a value list, exactly those removed.
                    [{ op: 'Remove', path: 'members', value: remove.map((value) => ({ value })) }]
                  : // Okta: one filter path per member.
                    remove.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` }));
              } else if (op.kind === 'groupMixed') {
                // Okta pushes a group with mixed operations: removals, then additions.
                remove = subset(users, op.remove);
                add = subset(users, op.add);
                operations = [
                  ...remove.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
                  { op: 'add', path: 'members', value: add.map((value) => ({ value })) },
                ];
              } else {
                remove = g ? [...g.members] : [];
                operations = [{ op: 'replace', path: 'members', value: [] }];
              }
              if (operations.length === 0) continue;
              res = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH], Operations: operations });
              expected = g ? 200 : 404;
              if (g) {
                for (const id of remove) g.members.delete(id);
                for (const id of add) g.members.add(id);
                remap(model, [...remove, ...add]);
              }
              break;
            }
            case 'deleteGroup': {
              const gid = groupOf(op.target);
              const g = model.groups.get(gid);
              res = await scim('DELETE', `/Groups/${gid}`);
              expected = g ? 204 : 404;
              if (g) {
                model.groups.delete(gid);
                remap(model, g.members);
              }
              break;
            }
          }
          const label = `${JSON.stringify(op)} → ${res.status} ${res.text}`;
          expect(res.status, label).toBeLessThan(500);
          expect(res.status, label).toBe(expected);
          if (res.status >= 400)
            expect(res.body.schemas, label).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
          seen.set(`${op.kind}:${res.status}`, (seen.get(`${op.kind}:${res.status}`) ?? 0) + 1);
          await expectState(w, scim, model, label);
        }
      }),
      { numRuns: RUNS },
    );
    console.info('SCIM property outcomes', JSON.stringify(Object.fromEntries([...seen].sort())));
    // The sequences met the quirks' successful paths, not only refusals.
    for (const k of RUNS < 10 ? [] : ['create:201', 'active:200', 'groupAdd:200', 'groupRemove:200']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  }, 600_000);
});

async function expectState(
  w: { ws: string; token: string; ownerMemberId: string },
  scim: (method: string, path: string) => Promise<{ status: number; body: any }>,
  model: Model,
  label: string,
) {
  const [users, groups, members, teams] = await Promise.all([
    scim('GET', '/Users?startIndex=1&count=100'),
    scim('GET', '/Groups?startIndex=1&count=100'),
    t.call('GET', `/v1/workspaces/${w.ws}/members?limit=100`, { token: w.token }),
    t.call('GET', `/v1/workspaces/${w.ws}/teams?limit=100`, { token: w.token }),
  ]);
  for (const r of [users, groups, members, teams]) expect(r.status, label).toBe(200);
  const groupsOf = (id: string) =>
    sortedIds([...model.groups].filter(([, g]) => g.members.has(id)).map(([gid]) => gid));
  const wantUsers = [...model.users.values()]
    .map((u) => ({
      id: u.id,
      userName: u.userName,
      active: u.active,
      displayName: u.displayName,
      givenName: u.givenName,
      roles: [u.roleId],
      groups: groupsOf(u.id),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const gotUsers = (users.body.Resources as any[])
    .map((u) => ({
      id: u.id,
      userName: u.userName,
      active: u.active,
      displayName: u.displayName,
      givenName: u.name?.givenName,
      roles: (u.roles as { value: string }[]).map((r) => r.value),
      groups: sortedIds((u.groups as { value: string }[]).map((g) => g.value)),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  expect(gotUsers, `SCIM Users after ${label}`).toEqual(wantUsers);
  expect(users.body.totalResults).toBe(model.users.size);

  const wantGroups = [...model.groups]
    .map(([id, g]) => ({ id, displayName: g.name, members: sortedIds(g.members) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const gotGroups = (groups.body.Resources as any[])
    .map((g) => ({
      id: g.id,
      displayName: g.displayName,
      members: sortedIds(((g.members ?? []) as { value: string }[]).map((m) => m.value)),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  expect(gotGroups, `SCIM Groups after ${label}`).toEqual(wantGroups);

  // The app's own routes say the same: the members (the Owner besides), their status, role and teams; the teams.
  const gotMembers = (members.body.items as any[])
    .filter((m) => m.id !== w.ownerMemberId)
    .map((m) => ({ id: m.id, status: m.status ?? 'active', roleId: m.roleId, teamIds: sortedIds(m.teamIds) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  expect(gotMembers, `/v1 members after ${label}`).toEqual(
    wantUsers.map((u) => ({
      id: u.id,
      status: u.active ? 'active' : 'deactivated',
      roleId: u.roles[0],
      teamIds: u.groups,
    })),
  );
  const gotTeams = (teams.body.items as any[])
    .map((x) => ({ id: x.id, name: x.name, memberIds: sortedIds(x.memberIds), managedBy: x.managedBy }))
    .sort((a, b) => a.id.localeCompare(b.id));
  expect(gotTeams, `/v1 teams after ${label}`).toEqual(
    wantGroups.map((g) => ({ id: g.id, name: g.displayName, memberIds: g.members, managedBy: 'scim' })),
  );
}
