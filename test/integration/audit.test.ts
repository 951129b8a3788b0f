// Every change to members, roles, invitations, plan, settings and teams leaves an audit entry
// (PRODUCT.md §5): one scenario that makes each kind of change, then reads the log back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, type Reply, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { mailedInvitationToken } from '../fixtures/mail';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('audit log coverage', () => {
  it('records every kind of change with actor, target, before and after', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'unlimited');
    const call = (method: string, path: string, body?: unknown) =>
      t.call(method, `/v1/workspaces/${ws}${path}`, { token, body });

    expect((await call('PATCH', '', { settings: { contactsVisibility: 'private' } })).status).toBe(200);
    expect((await call('PUT', '/plan', { plan: 'pro' })).status).toBe(200);
    expect((await call('PUT', '/plan', { plan: 'unlimited' })).status).toBe(200);
    const role = await call('POST', '/roles', { name: 'Auditor', cloneFrom: 'member' });
    expect((await call('PATCH', `/roles/${role.body.id}`, { description: 'reads things' })).status).toBe(200);
    const agent = await addMember(t, ws, 'agent');
    expect((await call('PATCH', `/members/${agent.memberId}`, { roleId: role.body.id })).status).toBe(200);
    expect((await call('DELETE', `/roles/${role.body.id}?reassignTo=member`)).status).toBe(204);
    const team = await call('POST', '/teams', { name: 'Tier 1', memberIds: [agent.memberId] });
    expect((await call('PATCH', `/teams/${team.body.id}`, { memberIds: [] })).status).toBe(200);
    expect((await call('DELETE', `/teams/${team.body.id}`)).status).toBe(204);
    const email = `${uniqueUser('audited')}@example.test`;
    const inv = await call('POST', '/invitations', { email, roleId: 'agent' });
    expect((await call('POST', `/invitations/${inv.body.id}/resend`)).status).toBe(200);
    const joiner = uniqueUser('joiner');
    // The first email's link died with the resend; the resent one may still be on its way.
    let accepted: Reply = { status: 0, body: null, headers: new Headers(), text: '' };
    for (let i = 0; i < 50 && accepted.status !== 200; i++) {
      accepted = await t.call('POST', '/v1/invitations/accept', {
        token: await t.api.issuer.sign({ sub: joiner, email }),
        body: { token: await mailedInvitationToken(t, email) },
      });
      if (accepted.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(accepted.status).toBe(200);
    const other = await call('POST', '/invitations', { email: `${uniqueUser('gone')}@example.test`, roleId: 'member' });
    expect((await call('DELETE', `/invitations/${other.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/members/${agent.memberId}`)).status).toBe(204);
    expect((await call('POST', '/ownership', { memberId: accepted.body.member.id })).status).toBe(200);

    const entries: any[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await t.call('GET', `/v1/workspaces/${ws}/audit-log?limit=7${q}`, { token });
      expect(page.status).toBe(200);
      entries.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);

    const actions = entries.map((e) => e.action);
    for (const action of [
      'workspace.create',
      'workspace.update',
      'plan.change',
      'role.create',
      'role.update',
      'role.delete',
      'member.role.change',
      'member.remove',
      'team.create',
      'team.update',
      'team.delete',
      'invitation.create',
      'invitation.resend',
      'invitation.accept',
      'invitation.revoke',
      'ownership.transfer',
    ]) {
      expect(actions, action).toContain(action);
    }
    // Newest first, each with who, what, when.
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(entries[0]).toMatchObject({
      action: 'ownership.transfer',
      actor: { memberId: ownerMemberId, source: 'app' },
    });
    const change = entries.find((e) => e.action === 'member.role.change' && e.before.roleId === 'agent');
    expect(change).toMatchObject({ target: { type: 'member', id: agent.memberId }, after: { roleId: role.body.id } });
    const plan = entries.filter((e) => e.action === 'plan.change').map((e) => [e.before.plan, e.after.plan]);
    expect(plan).toEqual([
      ['pro', 'unlimited'],
      ['unlimited', 'pro'],
    ]);
  });
});
