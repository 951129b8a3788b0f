import type { DynamoDBStreamEvent, SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLE_IDS } from '../../shared/permissions/roles';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { mailsTo, outbox } from '../fixtures/mail';
import { expireInvitation } from '../fixtures/table';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const emailFor = (label: string) => `${uniqueUser(label)}@Example.test`;

const tokenOf = (mail: { text: string }) => /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';

const invite = (ws: string, token: string, body: Record<string, unknown>) =>
  t.call('POST', `/v1/workspaces/${ws}/invitations`, { token, body });

const acceptAs = async (sub: string, email: string, invitationToken: string, emailVerified = true) =>
  t.call('POST', '/v1/invitations/accept', {
    token: await t.api.issuer.sign({ sub, email, emailVerified }),
    body: { token: invitationToken },
  });

describe('invite → email → accept', () => {
  it.each(BUILTIN_ROLE_IDS.filter((r) => r !== 'owner'))('works for the %s role', async (roleId) => {
    const { ws, token } = await createWorkspace(t, 'unlimited', 'Acme <Support>');
    const email = emailFor(roleId);
    const res = await invite(ws, token, { email, roleId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, roleId, status: 'pending', inboxIds: [] });
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const [mail] = await mailsTo(t, email);
    expect(mail?.subject).toContain('Acme <Support>');
    expect(mail?.html).toContain('Acme &lt;Support&gt;');
    const invitationToken = tokenOf(mail!);
    expect(invitationToken).toMatch(/^inv_/);
    // The link opens the console's accept page (served under /console/ at APP_URL), in text and HTML alike.
    expect(mail?.text).toMatch(new RegExp(`https?://[^\\s]+/console/accept\\?token=${invitationToken}(\\s|$)`));
    expect(mail?.html).toContain(`/console/accept?token=${invitationToken}"`);

    const user = uniqueUser('joiner');
    const accepted = await acceptAs(user, email.toLowerCase(), invitationToken);
    expect(accepted.status).toBe(200);
    expect(accepted.body.member).toMatchObject({ userId: user, roleId, email });
    const me = await t.call('GET', `/v1/workspaces/${ws}/me`, { token: await t.token(user, email) });
    expect(me.status).toBe(200);
    expect(me.body.member.roleId).toBe(roleId);
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items[0]).toMatchObject({ id: res.body.id, status: 'accepted' });
    // The token was single-use.
    expect((await acceptAs(user, email, invitationToken)).status).toBe(404);
  });
});

describe('who may invite whom', () => {
  it('lets an agent invite a member but never an admin or a manager, naming what exceeds', async () => {
    const { ws } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    expect((await invite(ws, agent.token, { email: emailFor('m'), roleId: 'member' })).status).toBe(201);
    for (const roleId of ['admin', 'manager']) {
      const res = await invite(ws, agent.token, { email: emailFor(roleId), roleId });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.exceeds.length).toBeGreaterThan(0);
    }
  });

  it('refuses members (no teammates.invite) and ownership by invitation', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const member = await addMember(t, ws, 'member');
    const res = await invite(ws, member.token, { email: emailFor('x'), roleId: 'member' });
    expect(res.status).toBe(403);
    expect(res.body.error.permission).toBe('teammates.invite');
    expect((await invite(ws, token, { email: emailFor('o'), roleId: 'owner' })).status).toBe(400);
  });

  it('lets an admin invite admins but a custom role only within its own scopes', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const admin = await addMember(t, ws, 'admin');
    expect((await invite(ws, admin.token, { email: emailFor('a'), roleId: 'admin' })).status).toBe(201);
    const narrow = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Restricted inviter', permissions: { 'teammates.invite': true, 'messages.view': 'assigned' } },
    });
    const wide = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Wide viewer', permissions: { 'messages.view': 'all' } },
    });
    const inviter = await addMember(t, ws, narrow.body.id);
    const res = await invite(ws, inviter.token, { email: emailFor('w'), roleId: wide.body.id });
    expect(res.status).toBe(403);
    expect(res.body.error.exceeds).toEqual([{ permission: 'messages.view', requested: 'all', held: 'assigned' }]);
  });
});

describe('refresh, resend, revoke, expiry', () => {
  it('refreshes a pending invitation for the same email instead of duplicating it; the old link dies', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = emailFor('again');
    const first = await invite(ws, token, { email, roleId: 'agent' });
    const [mail1] = await mailsTo(t, email, 1);
    const second = await invite(ws, token, { email: email.toUpperCase(), roleId: 'member' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, roleId: 'member', sendCount: 2 });
    const mails = await mailsTo(t, email, 2);
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items).toHaveLength(1);
    const user = uniqueUser('again');
    expect((await acceptAs(user, email, tokenOf(mail1!))).status).toBe(404);
    expect((await acceptAs(user, email, tokenOf(mails[1]!))).status).toBe(200);
  });

  it('resends with a new token and expiry, and revoking stops any token', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = emailFor('resend');
    const created = await invite(ws, token, { email, roleId: 'member' });
    const [mail1] = await mailsTo(t, email, 1);
    const resent = await t.call('POST', `/v1/workspaces/${ws}/invitations/${created.body.id}/resend`, { token });
    expect(resent.status).toBe(200);
    expect(resent.body.sendCount).toBe(2);
    const mails = await mailsTo(t, email, 2);
    expect(tokenOf(mails[1]!)).not.toBe(tokenOf(mail1!));
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/invitations/${created.body.id}`, { token })).status).toBe(204);
    const user = uniqueUser('revoked');
    const res = await acceptAs(user, email, tokenOf(mails[1]!));
    expect(res.status).toBe(404);
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items[0].status).toBe('revoked');
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/invitations/${created.body.id}`, { token })).status).toBe(409);
  });

  it('refuses an expired invitation with a clear 409 and writes nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = emailFor('late');
    const created = await invite(ws, token, { email, roleId: 'member' });
    const [mail] = await mailsTo(t, email);
    // Age the invitation past its 7 days directly in the table (the clock cannot be moved over HTTP).
    await expireInvitation(ws, created.body.id, new Date(Date.now() - 1000).toISOString());
    const user = uniqueUser('late');
    const res = await acceptAs(user, email, tokenOf(mail!));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/expired/);
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items[0].status).toBe('expired');
    expect((await t.call('GET', `/v1/workspaces/${ws}/me`, { token: await t.token(user, email) })).status).toBe(403);
  });
});

describe('accepting', () => {
  it('needs the invited, verified email (case-insensitive)', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = emailFor('exact');
    await invite(ws, token, { email, roleId: 'member' });
    const [mail] = await mailsTo(t, email);
    const user = uniqueUser('exact');
    expect((await acceptAs(user, 'someone.else@example.test', tokenOf(mail!))).status).toBe(403);
    expect((await acceptAs(user, email, tokenOf(mail!), false)).status).toBe(403);
    expect((await acceptAs(user, email.toUpperCase(), tokenOf(mail!))).status).toBe(200);
  });

  it('gives exactly one member for two concurrent accepts', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = emailFor('race');
    await invite(ws, token, { email, roleId: 'member' });
    const [mail] = await mailsTo(t, email);
    const results = await Promise.all([
      acceptAs(uniqueUser('r1'), email, tokenOf(mail!)),
      acceptAs(uniqueUser('r2'), email, tokenOf(mail!)),
    ]);
    expect(results.map((r) => r.status).filter((s) => s === 200)).toHaveLength(1);
    const members = await t.call('GET', `/v1/workspaces/${ws}/members?roleId=member`, { token });
    expect(members.body.items).toHaveLength(1);
  });

  it('refuses garbage tokens and inviting someone who is already a member', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    expect((await acceptAs(uniqueUser(), 'a@example.test', 'inv_notarealtoken000000000')).status).toBe(404);
    expect((await acceptAs(uniqueUser(), 'a@example.test', 'x')).status).toBe(400);
    const member = await addMember(t, ws, 'agent');
    const res = await invite(ws, token, { email: `${member.userId}@EXAMPLE.test`, roleId: 'member' });
    expect(res.status).toBe(409);
  });
});

describe('seats', () => {
  it('counts members plus pending invitations against the plan', async () => {
    const { ws, token } = await createWorkspace(t, 'basic');
    await addMember(t, ws, 'agent');
    await addMember(t, ws, 'agent');
    expect((await invite(ws, token, { email: emailFor('s1'), roleId: 'member' })).status).toBe(201);
    expect((await invite(ws, token, { email: emailFor('s2'), roleId: 'member' })).status).toBe(201);
    const full = await invite(ws, token, { email: emailFor('s3'), roleId: 'member' });
    expect(full.status).toBe(403);
    expect(full.body.error).toMatchObject({ code: 'plan_limit', limit: 'seats', max: 5 });
  });
});

describe('mailer and SES events', () => {
  it('sends once when the same stream record is delivered twice', async () => {
    const { handler } = await import('../../functions/mailer/handler');
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const email = emailFor('twice');
    const created = await invite(ws, token, { email, roleId: 'member' });
    await mailsTo(t, email, 1);
    const { GetCommand } = await import('../../shared/db/client');
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    const { db, tableName } = await import('../../shared/db/client');
    const item = (
      await db.send(new GetCommand({ TableName: tableName, Key: { PK: `WS#${ws}`, SK: `INVITE#${created.body.id}` } }))
    ).Item!;
    const event = {
      Records: [
        {
          eventID: '1',
          eventName: 'INSERT',
          eventSource: 'aws:dynamodb',
          dynamodb: { NewImage: marshall(item), SequenceNumber: '42', StreamViewType: 'NEW_AND_OLD_IMAGES' },
        },
      ],
    } as unknown as DynamoDBStreamEvent;
    const context = { functionName: 'mailer', getRemainingTimeInMillis: () => 30_000 } as never;
    await handler(event, context);
    await handler(event, context);
    await new Promise((r) => setTimeout(r, 300));
    expect(await outbox(t, email)).toHaveLength(1);
  });

  it('marks a bounced invitation and tells the inviter', async () => {
    const { handler } = await import('../../functions/mail-events/handler');
    const { ws, token, owner } = await createWorkspace(t, 'unlimited');
    const email = emailFor('bounce');
    const created = await invite(ws, token, { email, roleId: 'member' });
    const sesEvent = {
      eventType: 'Bounce',
      bounce: { bounceType: 'Permanent' },
      mail: {
        destination: [email],
        tags: { workspaceId: [ws], invitationId: [created.body.id], kind: ['invitation'] },
      },
    };
    await handler({
      Records: [{ Sns: { MessageId: 'm1', Message: JSON.stringify(sesEvent) } }],
    } as unknown as SNSEvent);
    const list = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, status: 'bounced' });
    const notices = await mailsTo(t, `${owner}@example.test`);
    expect(notices[0]?.subject).toContain('could not be delivered');
    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(log.body.items.map((e: any) => e.action)).toContain('invitation.bounced');
  });
});

describe('cross-workspace', () => {
  it('404s another workspace’s invitation', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const b = await createWorkspace(t, 'unlimited');
    const inv = await invite(b.ws, b.token, { email: emailFor('cross'), roleId: 'member' });
    expect(
      (await t.call('DELETE', `/v1/workspaces/${a.ws}/invitations/${inv.body.id}`, { token: a.token })).status,
    ).toBe(404);
    expect(
      (await t.call('POST', `/v1/workspaces/${a.ws}/invitations/${inv.body.id}/resend`, { token: a.token })).status,
    ).toBe(404);
  });
});
