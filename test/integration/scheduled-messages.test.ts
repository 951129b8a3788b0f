// Scheduled messages over HTTP (issue 16 class 5): scheduling needs what sending would (messages.send at a scope
// reaching the conversation, the outgoing rules: 409 opted_out, 422 restricted_word), and the delivery job
// (POST /dev/deliver-scheduled, the scheduled Lambda's handler) sends a due message as its author decided again at
// that instant, once however many runs overlap, or marks it failed with its reason, audited, its author emailed.
// The clock decisions read is moved past sendAt (setClockForTests) instead of waiting.
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { addMember, createWorkspace, testApiForFile } from '../fixtures/api';
import { holdTransactions } from '../fixtures/dynamo-hold';

const t = testApiForFile({ resetClock: true });

type W = Awaited<ReturnType<typeof createWorkspace>>;
type Member = Awaited<ReturnType<typeof addMember>>;
const base = (w: W) => `/v1/workspaces/${w.ws}`;

async function setup(name: string) {
  const w = await createWorkspace(t, 'unlimited', name);
  const inbox = await t.call('POST', `${base(w)}/inboxes`, {
    token: w.token,
    body: { name: 'Support', visibility: 'public', kind: 'shared' },
  });
  expect(inbox.status, inbox.text).toBe(201);
  const contact = await t.call('POST', `${base(w)}/contacts`, { token: w.token, body: { name: 'Dana' } });
  expect(contact.status, contact.text).toBe(201);
  const conv = await t.call('POST', `${base(w)}/inboxes/${inbox.body.id}/conversations`, {
    token: w.token,
    body: { subject: 'Hello', contactId: contact.body.id },
  });
  expect(conv.status, conv.text).toBe(201);
  const agent = await addMember(t, w.ws, 'agent');
  return { w, agent, contactId: contact.body.id as string, c: conv.body.conversation.id as string };
}

const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const schedule = (w: W, c: string, token: string, body: string, sendAt = inMinutes(2)) =>
  t.call('POST', `${base(w)}/conversations/${c}/scheduled-messages`, { token, body: { body, sendAt } });
const scheduledList = async (w: W, c: string) =>
  (await t.call('GET', `${base(w)}/conversations/${c}/scheduled-messages`, { token: w.token })).body.items as any[];
const messages = async (w: W, c: string) =>
  (await t.call('GET', `${base(w)}/conversations/${c}/messages`, { token: w.token })).body.items as any[];
const deliver = (w: W) => t.call('POST', '/dev/deliver-scheduled', { body: { workspaceIds: [w.ws] } });
/** Runs the delivery with the clock just past `sendAt`. */
async function deliverAt(w: W, sendAt: string) {
  setClockForTests(Date.parse(sendAt) + 1000);
  const res = await deliver(w);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function auditOf(w: W, action: string) {
  const res = await t.call('GET', `${base(w)}/audit-log?limit=100`, { token: w.token });
  expect(res.status, res.text).toBe(200);
  return (res.body.items as any[]).filter((e) => e.action === action);
}

async function outbox(to: string, tries = 100): Promise<any[]> {
  for (let i = 0; i < tries; i++) {
    const res = await t.call('GET', `/dev/outbox?to=${encodeURIComponent(to)}`);
    if (res.body.items.length > 0) return res.body.items;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

/** A custom role that manages scheduled messages and reads conversations but does not send. */
async function nonSendingRole(w: W) {
  const res = await t.call('POST', `${base(w)}/roles`, {
    token: w.token,
    body: {
      name: 'Scheduler only',
      description: 'schedules, never sends',
      permissions: { 'scheduledMessages.manage': true, 'messages.view': 'all' },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
const setRole = (w: W, m: Member, roleId: string) =>
  t.call('PATCH', `${base(w)}/members/${m.memberId}`, { token: w.token, body: { roleId } });

describe('scheduling needs what sending would', () => {
  it('a role with scheduledMessages.manage but no messages.send is refused (403 naming messages.send), nothing stored', async () => {
    const { w, c } = await setup('Schedule without send');
    const roleId = await nonSendingRole(w);
    const scheduler = await addMember(t, w.ws, roleId);
    const res = await schedule(w, c, scheduler.token, 'Later');
    expect(res.status, res.text).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', permission: 'messages.send' });
    expect(await scheduledList(w, c)).toEqual([]);
  });

  it('to an opted-out contact is 409 opted_out; with a restricted word (hidden or look-alike) 422; nothing stored', async () => {
    const { w, agent, c, contactId } = await setup('Schedule vs rules');
    const words = await t.call('PUT', `${base(w)}/restricted-words`, {
      token: w.token,
      body: { words: ['bitcoin', 'scam'] },
    });
    expect(words.status, words.text).toBe(200);
    for (const body of ['Buy bit\u200Bcoin', 'Buy bitc\u043Ein', 'a \u0455\u0441\u0430m', 'bit\u00ADcoin!']) {
      const res = await schedule(w, c, agent.token, body);
      expect(res.status, body).toBe(422);
      expect(res.body.error.code).toBe('restricted_word');
    }
    const opt = await t.call('PUT', `${base(w)}/opt-outs`, { token: w.token, body: { contactIds: [contactId] } });
    expect(opt.status, opt.text).toBe(200);
    const res = await schedule(w, c, agent.token, 'Hello');
    expect(res.status, res.text).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'opted_out', contactId });
    expect(await scheduledList(w, c)).toEqual([]);
  });
});

describe('delivery at sendAt', () => {
  it('sends a due message as its author, once; not before sendAt; the report counts it', async () => {
    const { w, agent, c } = await setup('Deliver once');
    const made = await schedule(w, c, agent.token, 'Good morning', inMinutes(3));
    expect(made.status, made.text).toBe(201);
    const id = made.body.scheduledMessage.id as string;
    const sendAt = made.body.scheduledMessage.sendAt as string;

    // Not yet due: nothing read, nothing sent.
    setClockForTests(Date.parse(sendAt) - 1000);
    expect((await deliver(w)).body).toMatchObject({ checked: 0, sent: 0, failed: 0 });
    expect(await messages(w, c)).toEqual([]);

    const report = await deliverAt(w, sendAt);
    expect(report).toEqual({ checked: 1, sent: 1, failed: 0, skipped: 0, retry: 0, failures: [], errors: [] });
    const sent = await messages(w, c);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'message', body: 'Good morning', authorMemberId: agent.memberId });
    const [s] = await scheduledList(w, c);
    expect(s).toMatchObject({ id, status: 'sent', messageId: sent[0].id, authorMemberId: agent.memberId });
    expect(s.failureReason).toBeUndefined();
    expect(await auditOf(w, 'scheduledMessage.sent')).toHaveLength(1);

    // Sent messages leave the due index: a later run has nothing to do.
    expect(await deliverAt(w, sendAt)).toMatchObject({ checked: 0, sent: 0 });
    expect(await messages(w, c)).toHaveLength(1);
  });

  it('two overlapping runs deliver it once: the run whose transaction lands second finds it sent', async () => {
    const { w, agent, c } = await setup('Overlapping runs');
    const made = await schedule(w, c, agent.token, 'Exactly once');
    const id = made.body.scheduledMessage.id as string;
    setClockForTests(Date.parse(made.body.scheduledMessage.sendAt) + 1000);
    // The first run's send transaction is held until the second run has sent the message.
    let first = true;
    const hold = holdTransactions(
      (input) => input.includes(`SCHED#${id}`),
      () => {
        const h = first;
        first = false;
        return h;
      },
    );
    let a: Awaited<ReturnType<typeof deliver>>;
    let b: Awaited<ReturnType<typeof deliver>>;
    try {
      const runA = deliver(w);
      await hold.arrived();
      b = await deliver(w);
      hold.release();
      a = await runA;
    } finally {
      hold.remove();
    }
    expect(b.body).toMatchObject({ checked: 1, sent: 1, retry: 0 });
    expect(a.body).toMatchObject({ checked: 1, sent: 0, failed: 0, skipped: 1, retry: 0 });
    expect(await messages(w, c)).toHaveLength(1);
    expect((await scheduledList(w, c))[0]).toMatchObject({ status: 'sent' });
  });

  it('many messages and three runs at once: each sent exactly once', async () => {
    const { w, agent, c } = await setup('Parallel runs');
    const sendAt = inMinutes(2);
    const bodies = Array.from({ length: 6 }, (_, i) => `Message ${i}`);
    for (const body of bodies) expect((await schedule(w, c, agent.token, body, sendAt)).status).toBe(201);
    setClockForTests(Date.parse(sendAt) + 1000);
    const reports = (await Promise.all([deliver(w), deliver(w), deliver(w)])).map((r) => r.body);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(6);
    expect(reports.every((r) => r.retry === 0 && r.failed === 0)).toBe(true);
    expect((await messages(w, c)).map((m) => m.body).sort()).toEqual(bodies);
    expect((await scheduledList(w, c)).every((s) => s.status === 'sent')).toBe(true);
  });

  it('a cancelled message is never sent: it stays, cancelled, out of the due index', async () => {
    const { w, agent, c } = await setup('Cancelled');
    const made = await schedule(w, c, agent.token, 'Never mind');
    const id = made.body.scheduledMessage.id as string;
    const cancel = await t.call('DELETE', `${base(w)}/scheduled-messages/${id}`, { token: agent.token });
    expect(cancel.status, cancel.text).toBe(204);
    expect(await deliverAt(w, made.body.scheduledMessage.sendAt)).toMatchObject({ checked: 0, sent: 0 });
    expect(await messages(w, c)).toEqual([]);
    expect(await scheduledList(w, c)).toMatchObject([{ id, status: 'cancelled' }]);
    expect(await auditOf(w, 'scheduledMessage.cancel')).toHaveLength(1);
    // Cancelling again changes nothing; a sent one can no longer be cancelled.
    expect((await t.call('DELETE', `${base(w)}/scheduled-messages/${id}`, { token: agent.token })).status).toBe(204);
    const other = await schedule(w, c, agent.token, 'Goes out');
    await deliverAt(w, other.body.scheduledMessage.sendAt);
    setClockForTests();
    const late = await t.call('DELETE', `${base(w)}/scheduled-messages/${other.body.scheduledMessage.id}`, {
      token: agent.token,
    });
    expect(late.status, late.text).toBe(409);
  });
});

describe('delivery decides again as the author: otherwise failed, audited, the author emailed', () => {
  async function expectFailed(w: W, c: string, id: string, reason: string, sendAt: string) {
    const report = await deliverAt(w, sendAt);
    expect(report).toMatchObject({ checked: 1, sent: 0, failed: 1, retry: 0 });
    expect(report.failures).toEqual([{ workspaceId: w.ws, scheduledMessageId: id, failureReason: reason }]);
    expect(await messages(w, c)).toEqual([]);
    expect((await scheduledList(w, c)).find((s) => s.id === id)).toMatchObject({
      status: 'failed',
      failureReason: reason,
    });
    setClockForTests();
    const audit = await auditOf(w, 'scheduledMessage.failed');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: { type: 'scheduledMessage', id }, after: { failureReason: reason } });
    // Failed ones leave the due index too.
    expect(await deliverAt(w, sendAt)).toMatchObject({ checked: 0 });
  }

  it('the author lost messages.send (role changed): failed `forbidden`, and the author is emailed', async () => {
    const { w, agent, c } = await setup('Lost send');
    const made = await schedule(w, c, agent.token, 'Hi there');
    expect(made.status, made.text).toBe(201);
    const changed = await setRole(w, agent, await nonSendingRole(w));
    expect(changed.status, changed.text).toBe(200);
    await expectFailed(w, c, made.body.scheduledMessage.id, 'forbidden', made.body.scheduledMessage.sendAt);
    const mail = await outbox(`${agent.userId}@example.test`);
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toContain('could not be sent');
    expect(mail[0].text).toContain(c);
    // The message's text is not in the email (the author may have lost the right to read it).
    expect(mail[0].text).not.toContain('Hi there');
  });

  it('the author was deactivated: failed `author_inactive`', async () => {
    const { w, agent, c } = await setup('Deactivated author');
    const made = await schedule(w, c, agent.token, 'Hi there');
    const off = await t.call('POST', `${base(w)}/members/${agent.memberId}/deactivate`, { token: w.token });
    expect(off.status, off.text).toBe(200);
    await expectFailed(w, c, made.body.scheduledMessage.id, 'author_inactive', made.body.scheduledMessage.sendAt);
  });

  it('the contact opted out meanwhile: failed `opted_out`', async () => {
    const { w, agent, c, contactId } = await setup('Opted out later');
    const made = await schedule(w, c, agent.token, 'Hi there');
    const opt = await t.call('PUT', `${base(w)}/opt-outs`, { token: w.token, body: { contactIds: [contactId] } });
    expect(opt.status, opt.text).toBe(200);
    await expectFailed(w, c, made.body.scheduledMessage.id, 'opted_out', made.body.scheduledMessage.sendAt);
  });

  it('a restricted word was added meanwhile (matched on the skeleton): failed `restricted_word`', async () => {
    const { w, agent, c } = await setup('Word added later');
    const made = await schedule(w, c, agent.token, 'Your r\u0435fund is ready');
    expect(made.status, made.text).toBe(201);
    const put = await t.call('PUT', `${base(w)}/restricted-words`, { token: w.token, body: { words: ['refund'] } });
    expect(put.status, put.text).toBe(200);
    await expectFailed(w, c, made.body.scheduledMessage.id, 'restricted_word', made.body.scheduledMessage.sendAt);
  });
});

describe('a message scheduled through an API key', () => {
  it('is sent as the key while it works; after the key is revoked it fails `author_inactive`', async () => {
    const { w, c } = await setup('Scheduled by key');
    const created = await t.call('POST', `${base(w)}/api-keys`, {
      token: w.token,
      body: { name: 'Campaigns', roleId: 'agent' },
    });
    expect(created.status, created.text).toBe(201);
    const key = created.body.key as string;
    const first = await schedule(w, c, key, 'From the key', inMinutes(2));
    const second = await schedule(w, c, key, 'Also from the key', inMinutes(5));
    expect(first.status, first.text).toBe(201);
    expect(first.body.scheduledMessage.authorMemberId).toMatch(/^apikey_/);
    expect(await deliverAt(w, first.body.scheduledMessage.sendAt)).toMatchObject({ sent: 1, failed: 0 });
    expect(await messages(w, c)).toMatchObject([
      { body: 'From the key', authorMemberId: first.body.scheduledMessage.authorMemberId },
    ]);
    setClockForTests();
    const revoked = await t.call('DELETE', `${base(w)}/api-keys/${created.body.id}`, { token: w.token });
    expect(revoked.status, revoked.text).toBe(204);
    const report = await deliverAt(w, second.body.scheduledMessage.sendAt);
    expect(report).toMatchObject({ sent: 0, failed: 1 });
    expect(report.failures[0]).toMatchObject({ failureReason: 'author_inactive' });
    expect(await messages(w, c)).toHaveLength(1);
  });
});

describe('POST /dev/deliver-scheduled', () => {
  it('takes nothing or {workspaceIds}; anything else is a 400', async () => {
    expect((await t.call('POST', '/dev/deliver-scheduled', { body: { workspaceIds: 'x' } })).status).toBe(400);
    expect((await t.call('POST', '/dev/deliver-scheduled', { body: { other: 1 } })).status).toBe(400);
  });
});
