// Property (fast-check, over HTTP against DynamoDB Local): random actors holding random custom roles
// create and edit random roles; whatever the service accepts never holds a permission or scope the actor
// could not grant (PRODUCT.md §5), and whatever it refuses is named.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type PermissionSet, SCOPES, type Scope } from '../../shared/permissions/catalog';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { referenceExcess } from '../fixtures/reference-policy';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const setArb = (forced: PermissionSet = {}) =>
  fc
    .subarray([...PERMISSIONS], { maxLength: 14 })
    .chain((defs) =>
      defs.length === 0
        ? fc.constant([] as (readonly [string, true | Scope])[])
        : fc.tuple(
            ...defs.map((d) =>
              (d.scoped ? fc.constantFrom<Scope>(...SCOPES) : fc.constant(true as const)).map(
                (g) => [d.key, g] as const,
              ),
            ),
          ),
    )
    .map((pairs) => ({ ...(Object.fromEntries(pairs) as PermissionSet), ...forced }));

/** Half the time a subset of what the actor holds (so acceptances happen), otherwise anything. */
const grantArb = (actor: PermissionSet) =>
  fc.oneof(
    setArb(),
    fc.subarray(Object.entries(actor)).map((pairs) => Object.fromEntries(pairs) as PermissionSet),
  );

let seq = 0;
const seen = { accepted: 0, refused: 0 };

describe('no-escalation property over HTTP', () => {
  it('random role creations and edits by random role managers never exceed the actor', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    await fc.assert(
      fc.asyncProperty(
        setArb({ 'roles.manage': true }).chain((actor) =>
          fc.tuple(fc.constant(actor), grantArb(actor), grantArb(actor)),
        ),
        async ([actorSet, firstGrant, secondGrant]) => {
          const n = seq++;
          const actorRole = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
            token,
            body: { name: `Actor ${n}`, permissions: actorSet },
          });
          expect(actorRole.status).toBe(201);
          const actor = await addMember(t, ws, actorRole.body.id);

          const created = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
            token: actor.token,
            body: { name: `Made by ${n}`, permissions: firstGrant },
          });
          const expectedExcess = referenceExcess(actorSet, firstGrant);
          seen[expectedExcess.length === 0 ? 'accepted' : 'refused']++;
          if (expectedExcess.length === 0) {
            expect(created.status).toBe(201);
            expect(created.body.permissions).toEqual(firstGrant);
          } else {
            expect(created.status).toBe(403);
            expect(created.body.error.exceeds.map((e: { permission: string }) => e.permission)).toEqual(expectedExcess);
            return;
          }

          const edited = await t.call('PATCH', `/v1/workspaces/${ws}/roles/${created.body.id}`, {
            token: actor.token,
            body: {
              cloneFrom: 'member',
              permissions: Object.fromEntries(PERMISSIONS.map((p) => [p.key, secondGrant[p.key] ?? false])),
            },
          });
          const editExcess = referenceExcess(actorSet, secondGrant);
          if (editExcess.length === 0) {
            expect(edited.status).toBe(200);
            expect(edited.body.permissions).toEqual(secondGrant);
          } else {
            expect(edited.status).toBe(403);
            const stored = await t.call('GET', `/v1/workspaces/${ws}/roles/${created.body.id}`, { token });
            expect(stored.body.permissions).toEqual(firstGrant);
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 120_000);

  it('random invitations and role assignments by random actors never exceed the actor', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const outcome = { invited: 0, inviteRefused: 0, assigned: 0, assignRefused: 0 };
    const makeRole = async (set: PermissionSet) => {
      const res = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
        token,
        body: { name: `R ${seq++}`, permissions: set },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    await fc.assert(
      fc.asyncProperty(
        setArb({ 'teammates.invite': true })
          .chain((actor) =>
            fc.tuple(
              fc.constant(actor),
              fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
              grantArb(actor),
              grantArb(actor),
            ),
          )
          .map(
            ([actor, manages, from, to]) =>
              [manages ? { ...actor, 'teammates.manage': true as const } : actor, from, to] as const,
          ),
        async ([actorSet, fromSet, toSet]) => {
          const actor = await addMember(t, ws, await makeRole(actorSet));
          const toRole = await makeRole(toSet);

          // Inviting with a role is granting it.
          const inv = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
            token: actor.token,
            body: { email: `p${seq++}@example.test`, roleId: toRole },
          });
          if (referenceExcess(actorSet, toSet).length === 0) {
            expect(inv.status, inv.text).toBe(201);
            outcome.invited++;
          } else {
            expect(inv.status, inv.text).toBe(403);
            outcome.inviteRefused++;
          }

          // Changing someone's role needs teammates.manage and the right to grant both roles.
          const target = await addMember(t, ws, await makeRole(fromSet));
          const res = await t.call('PATCH', `/v1/workspaces/${ws}/members/${target.memberId}`, {
            token: actor.token,
            body: { roleId: toRole },
          });
          const may =
            'teammates.manage' in actorSet &&
            referenceExcess(actorSet, fromSet).length === 0 &&
            referenceExcess(actorSet, toSet).length === 0;
          if (may) {
            expect(res.status, res.text).toBe(200);
            outcome.assigned++;
          } else {
            expect(res.status, res.text).toBe(403);
            const me = await t.call('GET', `/v1/workspaces/${ws}/members/${target.memberId}`, { token });
            expect(me.body.roleId).not.toBe(toRole);
            outcome.assignRefused++;
          }
        },
      ),
      { numRuns: 50 },
    );
    // Both answers occurred on both paths: the property compared real decisions, not one constant.
    expect(outcome.invited).toBeGreaterThan(0);
    expect(outcome.inviteRefused).toBeGreaterThan(0);
    expect(outcome.assigned).toBeGreaterThan(0);
    expect(outcome.assignRefused).toBeGreaterThan(0);
  }, 180_000);
});
