// SCIM takes and keeps seats by the seats module's one rule (issues 18, 19), over HTTP on DynamoDB Local: with
// the plan full and one seat held by an expired invitation, an invitation gets that seat back and so does a SCIM
// create (POST /Users) and a SCIM reactivation (PATCH or PUT active true); with no such seat, both are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { oktaUser as okta, SCIM_PATCH as PATCH } from '../fixtures/scim';
import { addPlan, expireInvitation } from '../fixtures/table';

let t: TestApi;
// A plan with SCIM and a seat limit (the catalog's own have one or the other), added to the run's catalog.
const PLAN = `scimSeats${Date.now().toString(36)}`;
const SEATS = 3;
beforeAll(async () => {
  t = await startTestApi();
  await addPlan({ id: PLAN, name: 'SCIM seats', features: ['scim'], seats: SEATS });
});
afterAll(async () => {
  await t.stop();
});

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function limitedWorkspace() {
  const w = await createWorkspace(t, PLAN, 'SCIM seats');
  const made = await t.call('POST', `/v1/workspaces/${w.ws}/scim/tokens`, {
    token: w.token,
    body: { name: 'Okta', maxRoleId: 'admin' },
  });
  expect(made.status, made.text).toBe(201);
  const scim = (path: string, method = 'GET', body?: unknown) =>
    t.call(method, `/v1/workspaces/${w.ws}/scim/v2${path}`, {
      token: made.body.token,
      ...(body !== undefined ? { body, headers: { 'content-type': 'application/scim+json' } } : {}),
    });
  const invite = (email: string) =>
    t.call('POST', `/v1/workspaces/${w.ws}/invitations`, { token: w.token, body: { email, roleId: 'member' } });
  const seats = async () =>
    (await t.call('GET', `/v1/workspaces/${w.ws}/billing/seats`, { token: w.token })).body.limit.used as number;
  /** An invitation takes the last seat, then expires: nothing has given its seat back yet. */
  const expiredInvitationHoldsLastSeat = async () => {
    const inv = await invite(`expired-${stamp()}@example.test`);
    expect(inv.status, inv.text).toBe(201);
    await expireInvitation(w.ws, inv.body.id);
    expect(await seats()).toBe(SEATS);
  };
  return { ...w, scim, invite, seats, expiredInvitationHoldsLastSeat };
}

describe('SCIM seats by the one seat rule', () => {
  it('a SCIM create gets the seat an expired invitation holds, as an invitation does; neither gets a seat that is not there', async () => {
    // Two workspaces in the same state: Owner, a member, and an expired invitation holding the last seat.
    const byInvite = await limitedWorkspace();
    const byScim = await limitedWorkspace();
    for (const w of [byInvite, byScim]) {
      await addMember(t, w.ws, 'member');
      await w.expiredInvitationHoldsLastSeat();
    }
    const invited = await byInvite.invite(`new-${stamp()}@example.test`);
    expect(invited.status, invited.text).toBe(201);
    const created = await byScim.scim('/Users', 'POST', okta(`new-${stamp()}@example.test`));
    expect(created.status, created.text).toBe(201);
    expect(created.body.active).toBe(true);
    expect(await byScim.seats()).toBe(SEATS);

    // Full now, with no expired invitation: both refuse, each in its own error schema.
    const refusedInvite = await byInvite.invite(`more-${stamp()}@example.test`);
    expect(refusedInvite.status).toBe(403);
    expect(refusedInvite.body.error).toMatchObject({ code: 'plan_limit', limit: 'seats' });
    const refusedScim = await byScim.scim('/Users', 'POST', okta(`more-${stamp()}@example.test`));
    expect(refusedScim.status).toBe(409);
    expect(refusedScim.body.scimType).toBe('tooMany');
  });

  it('SCIM reactivation (Entra PATCH, Okta PUT) gets the seat an expired invitation holds, and is refused on a full plan', async () => {
    const w = await limitedWorkspace();
    const a = await w.scim('/Users', 'POST', okta(`a-${stamp()}@example.test`));
    const b = await w.scim('/Users', 'POST', okta(`b-${stamp()}@example.test`));
    expect([a.status, b.status]).toEqual([201, 201]);
    const off = (id: string) =>
      w.scim(`/Users/${id}`, 'PATCH', {
        schemas: [PATCH],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      });
    expect((await off(a.body.id)).status).toBe(200);
    expect((await off(b.body.id)).status).toBe(200);
    // Owner + two invitations, the second expired.
    expect((await w.invite(`held-${stamp()}@example.test`)).status).toBe(201);
    await w.expiredInvitationHoldsLastSeat();

    const patched = await w.scim(`/Users/${a.body.id}`, 'PATCH', {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.active).toBe(true);
    expect(await w.seats()).toBe(SEATS);

    // No seat left: Okta's PUT with the whole user is refused in SCIM's schema and the user stays deactivated.
    const put = await w.scim(`/Users/${b.body.id}`, 'PUT', okta(b.body.userName, { id: b.body.id, active: true }));
    expect(put.status, put.text).toBe(409);
    expect(put.body.scimType).toBe('tooMany');
    expect((await w.scim(`/Users/${b.body.id}`)).body.active).toBe(false);
    // An expired invitation's seat again: the same PUT succeeds.
    expect(
      (
        await w.scim(`/Users/${a.body.id}`, 'PATCH', {
          schemas: [PATCH],
          Operations: [{ op: 'replace', value: { active: false } }],
        })
      ).status,
    ).toBe(200);
    await w.expiredInvitationHoldsLastSeat();
    const again = await w.scim(`/Users/${b.body.id}`, 'PUT', okta(b.body.userName, { id: b.body.id, active: true }));
    expect(again.status, again.text).toBe(200);
    expect(again.body.active).toBe(true);
  });
  it('reactivates exactly K of N deactivated users racing for K seats; the others get 409 tooMany', async () => {
    const w = await limitedWorkspace();
    const ids: string[] = [];
    // Six deactivated users, made two at a time (the Owner and two users fill the plan's three seats).
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) {
        const u = await w.scim('/Users', 'POST', okta(`race-${stamp()}@example.test`));
        expect(u.status, u.text).toBe(201);
        ids.push(u.body.id);
      }
      for (const id of ids.slice(-2)) {
        const off = await w.scim(`/Users/${id}`, 'PATCH', {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        });
        expect(off.status, off.text).toBe(200);
      }
    }
    expect(await w.seats()).toBe(1);
    const results = await Promise.all(
      ids.map((id) =>
        w.scim(`/Users/${id}`, 'PATCH', {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'active', value: true }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(SEATS - 1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status, r.text).toBe(409);
      expect(r.body.scimType).toBe('tooMany');
    }
    expect(await w.seats()).toBe(SEATS);
  });
});
