// Conversations meet the guardrails of issue 11: who may be assigned decides on the member's effective set at
// that instant (time-bound grants and role terms, with the injected clock, before any sweep), an assignment
// racing the assignee's deactivation never leaves the conversation with a deactivated assignee, a message racing
// an opt-out either goes out before it or is refused, and a new restricted word holds for every send decided
// after it committed (a send decided an instant before may go out: words are not checked in the transaction, so
// sends do not all contend on the list item). Races are made to happen by holding the racing transaction until
// the competing change has committed (test/fixtures/dynamo-hold.ts), and in rounds of many parallel requests
// with a seeded choice of which to hold.
import { describe, expect, it } from 'vitest';
import { setClockForTests } from '../../shared/clock';
import { addMember, createWorkspace, testApiForFile } from '../fixtures/api';
import { beforeTransactions, holdTransactions } from '../fixtures/dynamo-hold';

const t = testApiForFile({ resetClock: true });

type W = Awaited<ReturnType<typeof createWorkspace>>;
const base = (w: W) => `/v1/workspaces/${w.ws}`;

async function publicInbox(w: W) {
  const res = await t.call('POST', `${base(w)}/inboxes`, {
    token: w.token,
    body: { name: 'Support', visibility: 'public', kind: 'shared' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
async function conversation(w: W, inboxId: string, body: Record<string, unknown> = {}) {
  const res = await t.call('POST', `${base(w)}/inboxes/${inboxId}/conversations`, { token: w.token, body });
  expect(res.status, res.text).toBe(201);
  return res.body.conversation.id as string;
}
const assign = (w: W, conv: string, memberId: string | null) =>
  t.call('POST', `${base(w)}/conversations/${conv}/assign`, { token: w.token, body: { memberId } });
const assigneeOf = async (w: W, conv: string) =>
  (await t.call('GET', `${base(w)}/conversations/${conv}`, { token: w.token })).body.assigneeId as string | null;

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();
const justBefore = (iso: string) => setClockForTests(Date.parse(iso) - 1);
const justAfter = (iso: string) => setClockForTests(Date.parse(iso) + 1);

/** A small seeded generator (mulberry32): a failing round names its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves once `n` of `promises` have settled (immediately for n = 0). */
function afterSettled(promises: Promise<unknown>[], n: number): Promise<void> {
  if (n <= 0) return Promise.resolve();
  let settled = 0;
  return new Promise((resolve) => {
    for (const p of promises) {
      void p.finally(() => {
        settled += 1;
        if (settled === n) resolve();
      });
    }
  });
}

describe('an assignee is decided on its effective permissions at that instant', () => {
  it('an extra messages.view grant makes an Admin assignable until `until`, not a millisecond after, before any sweep', async () => {
    const w = await createWorkspace(t, 'pro', 'Assign with a grant');
    const inbox = await publicInbox(w);
    // The Admin reads no messages (seed), so it cannot be an assignee on its role alone.
    const admin = await addMember(t, w.ws, 'admin');
    expect((await assign(w, await conversation(w, inbox), admin.memberId)).status).toBe(409);
    const until = hourFromNow();
    const grant = await t.call('POST', `${base(w)}/members/${admin.memberId}/grants`, {
      token: w.token,
      body: { permissions: { 'messages.view': 'all' }, until, reason: 'Holiday cover' },
    });
    expect(grant.status, grant.text).toBe(201);

    justBefore(until);
    const before = await conversation(w, inbox);
    const allowed = await assign(w, before, admin.memberId);
    expect(allowed.status, allowed.text).toBe(200);
    expect(allowed.body.assigneeId).toBe(admin.memberId);

    justAfter(until);
    const after = await conversation(w, inbox);
    const refused = await assign(w, after, admin.memberId);
    expect(refused.status, refused.text).toBe(409);
    expect(await assigneeOf(w, after)).toBeNull();
  });

  it('a role held until `until` decides until then, the previous role at once after (both ways)', async () => {
    const w = await createWorkspace(t, 'pro', 'Assign with a role term');
    const inbox = await publicInbox(w);
    // An Agent made Admin for an hour: not assignable during the term, assignable again after it.
    const agent = await addMember(t, w.ws, 'agent');
    // An Admin made Agent for an hour: assignable during the term only.
    const admin = await addMember(t, w.ws, 'admin');
    const until = hourFromNow();
    for (const [who, roleId] of [
      [agent, 'admin'],
      [admin, 'agent'],
    ] as const) {
      const patched = await t.call('PATCH', `${base(w)}/members/${who.memberId}`, {
        token: w.token,
        body: { roleId, until },
      });
      expect(patched.status, patched.text).toBe(200);
    }

    justBefore(until);
    expect((await assign(w, await conversation(w, inbox), agent.memberId)).status).toBe(409);
    expect((await assign(w, await conversation(w, inbox), admin.memberId)).status).toBe(200);

    justAfter(until);
    const c1 = await conversation(w, inbox);
    const back = await assign(w, c1, agent.memberId);
    expect(back.status, back.text).toBe(200);
    const c2 = await conversation(w, inbox);
    const over = await assign(w, c2, admin.memberId);
    expect(over.status, over.text).toBe(409);
    expect(await assigneeOf(w, c2)).toBeNull();
  });

  it('a move keeps an assignee only while a grant lets them work in the new inbox', async () => {
    const w = await createWorkspace(t, 'pro', 'Move with a grant');
    const from = await publicInbox(w);
    const to = await t.call('POST', `${base(w)}/inboxes`, {
      token: w.token,
      body: { name: 'Private', visibility: 'private', kind: 'shared' },
    });
    expect(to.status, to.text).toBe(201);
    // An Agent sees a private inbox only when in it: a grant of `inboxes.private.access` lets it in for an hour.
    const agent = await addMember(t, w.ws, 'agent');
    const until = hourFromNow();
    const grant = await t.call('POST', `${base(w)}/members/${agent.memberId}/grants`, {
      token: w.token,
      body: { permissions: { 'inboxes.private.access': true }, until, reason: 'VIP week' },
    });
    expect(grant.status, grant.text).toBe(201);
    justBefore(until);
    const kept = await conversation(w, from);
    expect((await assign(w, kept, agent.memberId)).status).toBe(200);
    const moved = await t.call('POST', `${base(w)}/conversations/${kept}/move`, {
      token: w.token,
      body: { inboxId: to.body.id },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.assigneeId).toBe(agent.memberId);

    const dropped = await conversation(w, from);
    expect((await assign(w, dropped, agent.memberId)).status).toBe(200);
    justAfter(until);
    const moved2 = await t.call('POST', `${base(w)}/conversations/${dropped}/move`, {
      token: w.token,
      body: { inboxId: to.body.id },
    });
    expect(moved2.status, moved2.text).toBe(200);
    expect(moved2.body.assigneeId).toBeNull();
  });
});

describe('assignment racing the assignee’s deactivation', () => {
  it('an assignment whose transaction goes out after the deactivation is refused (409), not left on a deactivated member', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Assign vs deactivate');
    const inbox = await publicInbox(w);
    const c = await conversation(w, inbox);
    const agent = await addMember(t, w.ws, 'agent');
    const hold = holdTransactions((i) => i.includes('ConversationAssignment') && i.includes(agent.memberId));
    try {
      const assigning = assign(w, c, agent.memberId);
      await hold.arrived();
      const off = await t.call('POST', `${base(w)}/members/${agent.memberId}/deactivate`, { token: w.token });
      expect(off.status, off.text).toBe(200);
      hold.release();
      const res = await assigning;
      expect(res.status, res.text).toBe(409);
    } finally {
      hold.remove();
    }
    expect(await assigneeOf(w, c)).toBeNull();
  });

  it('the release of a deactivated member’s conversations is not stopped by messages sent in them meanwhile', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Release while sending');
    const inbox = await publicInbox(w);
    const c = await conversation(w, inbox);
    const agent = await addMember(t, w.ws, 'agent');
    expect((await assign(w, c, agent.memberId)).status).toBe(200);
    // A message lands in the conversation between each read and write of its release (more than any retry).
    const remove = beforeTransactions(
      (i) => i.includes('assignee deactivated') && i.includes(c),
      async () => {
        const sent = await t.call('POST', `${base(w)}/conversations/${c}/messages`, {
          token: w.token,
          body: { body: 'Still here' },
        });
        expect(sent.status, sent.text).toBe(201);
      },
      5,
    );
    try {
      const off = await t.call('POST', `${base(w)}/members/${agent.memberId}/deactivate`, { token: w.token });
      expect(off.status, off.text).toBe(200);
    } finally {
      remove();
    }
    expect(await assigneeOf(w, c)).toBeNull();
  });

  it('many parallel assignments and one deactivation, repeated: no conversation ends assigned to the deactivated member', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Assign vs deactivate, in rounds');
    const inbox = await publicInbox(w);
    const N = 12;
    for (let round = 1; round <= 4; round++) {
      const random = rng(round);
      const agent = await addMember(t, w.ws, 'agent');
      const convs: string[] = [];
      for (let i = 0; i < N; i++) convs.push(await conversation(w, inbox));
      const held = new Set(convs.filter(() => random() < 0.5));
      const hold = holdTransactions(
        (i) => i.includes('ConversationAssignment') && i.includes(agent.memberId),
        (i) => [...held].some((c) => i.includes(c)),
      );
      let replies: Awaited<ReturnType<typeof assign>>[];
      try {
        const assigning = convs.map((c) => assign(w, c, agent.memberId));
        // The deactivation starts after a random number of the assignments that are never held have answered.
        await afterSettled(assigning, Math.floor(random() * (N - held.size + 1)));
        const off = await t.call('POST', `${base(w)}/members/${agent.memberId}/deactivate`, { token: w.token });
        expect(off.status, off.text).toBe(200);
        hold.release();
        replies = await Promise.all(assigning);
      } finally {
        hold.remove();
      }
      for (const [i, r] of replies.entries()) {
        expect([200, 409], `round ${round} #${i}: ${r.text}`).toContain(r.status);
        // Held past the deactivation, an assignment cannot have committed.
        if (hold.seen.some((s) => s.held && s.input.includes(convs[i]!))) expect(r.status, `round ${round}`).toBe(409);
      }
      for (const c of convs) expect(await assigneeOf(w, c), `round ${round} ${c}`).not.toBe(agent.memberId);
    }
  }, 120_000);
});

async function sendSetup(name: string) {
  const w = await createWorkspace(t, 'pro', name);
  const inbox = await publicInbox(w);
  const contact = await t.call('POST', `${base(w)}/contacts`, { token: w.token, body: { name: 'Dana' } });
  expect(contact.status, contact.text).toBe(201);
  const c = await conversation(w, inbox, { contactId: contact.body.id });
  return { w, c, contactId: contact.body.id as string };
}
const send = (w: W, c: string, body: string) =>
  t.call('POST', `${base(w)}/conversations/${c}/messages`, { token: w.token, body: { body } });
const thread = async (w: W, c: string) =>
  (await t.call('GET', `${base(w)}/conversations/${c}/messages?limit=100`, { token: w.token })).body.items.map(
    (m: { id: string }) => m.id,
  ) as string[];
const isSendOf = (c: string) => (i: string) => i.includes(`#CONV#${c}`) && i.includes('MSG#');

describe('a message racing an opt-out', () => {
  const optOut = (w: W, contactIds: string[]) =>
    t.call('PUT', `${base(w)}/opt-outs`, { token: w.token, body: { contactIds } });

  it('a send whose transaction goes out after the opt-out committed is refused (409 opted_out)', async () => {
    const { w, c, contactId } = await sendSetup('Send vs opt-out');
    const hold = holdTransactions(isSendOf(c));
    try {
      const sending = send(w, c, 'Your refund is on its way');
      await hold.arrived();
      const changed = await optOut(w, [contactId]);
      expect(changed.status, changed.text).toBe(200);
      hold.release();
      const res = await sending;
      expect(res.status, res.text).toBe(409);
      expect(res.body.error.code).toBe('opted_out');
      // What stopped it is its own contact's marker: the send names no item every send of the workspace names.
      const first = hold.seen[0]!.input;
      expect(first).toContain(`OPTOUT#${contactId}`);
      expect(first).not.toContain('LIST#');
    } finally {
      hold.remove();
    }
    expect(await thread(w, c)).toEqual([]);
  });

  it('many parallel sends and one opt-out, repeated: a send either precedes it or is refused', async () => {
    const { w, c, contactId } = await sendSetup('Sends vs opt-out, in rounds');
    const N = 12;
    const sent: string[] = [];
    for (let round = 1; round <= 4; round++) {
      const random = rng(100 + round);
      if (round > 1) {
        // Opt back in for the next round.
        const undo = await optOut(w, []);
        expect(undo.status, undo.text).toBe(200);
      }
      const bodies = Array.from({ length: N }, (_, i) => `refund r${round}m${i} ok`);
      const held = new Set(bodies.filter(() => random() < 0.5));
      const hold = holdTransactions(isSendOf(c), (i) => [...held].some((b) => i.includes(b)));
      let replies: Awaited<ReturnType<typeof send>>[];
      try {
        const sending = bodies.map((b) => send(w, c, b));
        await afterSettled(sending, Math.floor(random() * (N - held.size + 1)));
        const changed = await optOut(w, [contactId]);
        expect(changed.status, changed.text).toBe(200);
        hold.release();
        replies = await Promise.all(sending);
      } finally {
        hold.remove();
      }
      for (const [i, r] of replies.entries()) {
        const label = `round ${round} #${i}: ${r.text}`;
        if (r.status === 201) {
          sent.push(r.body.message.id);
          // Held until the opt-out committed, it must not have gone out.
          expect(
            hold.seen.some((s) => s.held && s.input.includes(bodies[i]!)),
            label,
          ).toBe(false);
        } else {
          expect(r.status, label).toBe(409);
          expect(r.body.error.code, label).toBe('opted_out');
        }
      }
      // After the opt-out, nothing goes out.
      const late = await send(w, c, 'refund once more');
      expect(late.status, late.text).toBe(409);
      expect((await thread(w, c)).sort(), `round ${round}`).toEqual([...sent].sort());
    }
  });
});

describe('a message and a new restricted word: the word holds for every send decided after it committed', () => {
  const restrict = (w: W, words: string[]) =>
    t.call('PUT', `${base(w)}/restricted-words`, { token: w.token, body: { words } });

  it('a send decided before the word committed goes out though its transaction commits after; one started after is refused (422)', async () => {
    const { w, c } = await sendSetup('Send vs restricted word');
    const hold = holdTransactions(isSendOf(c));
    let early: Awaited<ReturnType<typeof send>>;
    try {
      const sending = send(w, c, 'Your refund is on its way');
      await hold.arrived();
      const changed = await restrict(w, ['refund']);
      expect(changed.status, changed.text).toBe(200);
      hold.release();
      early = await sending;
      // Its transaction names no list item: sends of a workspace do not contend on one.
      expect(hold.seen[0]!.input).not.toContain('LIST#');
    } finally {
      hold.remove();
    }
    expect(early.status, early.text).toBe(201);
    const late = await send(w, c, 'Your refund is on its way');
    expect(late.status, late.text).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'restricted_word', word: 'refund' });
    expect(await thread(w, c)).toEqual([early.body.message.id]);
  });

  it('many parallel sends and one new word, repeated: sends decided before it go out, every send started after it is refused', async () => {
    const { w, c } = await sendSetup('Sends vs restricted word, in rounds');
    const N = 12;
    const sent: string[] = [];
    for (let round = 1; round <= 4; round++) {
      const random = rng(200 + round);
      if (round > 1) {
        const undo = await restrict(w, []);
        expect(undo.status, undo.text).toBe(200);
      }
      const bodies = Array.from({ length: N }, (_, i) => `refund r${round}m${i} ok`);
      const held = new Set(bodies.filter(() => random() < 0.5));
      const hold = holdTransactions(isSendOf(c), (i) => [...held].some((b) => i.includes(b)));
      let replies: Awaited<ReturnType<typeof send>>[];
      let after: Awaited<ReturnType<typeof send>>[];
      try {
        const sending = bodies.map((b) => send(w, c, b));
        await afterSettled(sending, Math.floor(random() * (N - held.size + 1)));
        // Every held send has read the list (it holds at its transaction) before the word is written.
        await hold.arrived(held.size);
        const changed = await restrict(w, ['refund']);
        expect(changed.status, changed.text).toBe(200);
        // Started once the word committed: decided on it, whatever else is in flight.
        after = await Promise.all(bodies.map((_, i) => send(w, c, `after r${round}m${i}: refund`)));
        hold.release();
        replies = await Promise.all(sending);
      } finally {
        hold.remove();
      }
      for (const [i, r] of replies.entries()) {
        const label = `round ${round} #${i}: ${r.text}`;
        if (held.has(bodies[i]!)) expect(r.status, label).toBe(201);
        else expect([201, 422], label).toContain(r.status);
        if (r.status === 201) sent.push(r.body.message.id);
        else expect(r.body.error).toMatchObject({ code: 'restricted_word', word: 'refund' });
      }
      for (const [i, r] of after.entries()) {
        expect(r.status, `round ${round} after #${i}: ${r.text}`).toBe(422);
      }
      expect((await thread(w, c)).sort(), `round ${round}`).toEqual([...sent].sort());
    }
  });
});
