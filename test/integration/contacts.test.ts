// Contacts over HTTP (DynamoDB Local): the contract's shape, block/unblock, attributes with an effect,
// `contactsVisibility: private`, the formula-safe CSV export, audit entries in the same transaction,
// bad input that writes nothing, other workspaces' ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { parseCsv } from '../fixtures/csv';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const contacts = (ws: string) => `/v1/workspaces/${ws}/contacts`;

async function auditActions(ws: string, token: string): Promise<string[]> {
  const res = await t.call('GET', `/v1/workspaces/${ws}/audit-log?limit=100`, { token });
  expect(res.status).toBe(200);
  return res.body.items.map((e: { action: string }) => e.action);
}

describe('contacts', () => {
  it('create, get, list, update, block, unblock, delete: the contract shape, each change audited', async () => {
    const { ws, token, ownerMemberId } = await createWorkspace(t, 'pro');
    const made = await t.call('POST', contacts(ws), {
      token,
      body: { name: 'Ada Lovelace', email: 'ada@example.test', phone: '+44 20 7946 0000' },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.test',
      phone: '+44 20 7946 0000',
      blocked: false,
      createdBy: ownerMemberId,
    });
    const id = made.body.id as string;
    expect(id).toMatch(/^ct_/);

    const got = await t.call('GET', `${contacts(ws)}/${id}`, { token });
    expect(got.body).toEqual(made.body);
    const list = await t.call('GET', contacts(ws), { token });
    expect(list.body).toEqual({ items: [made.body], nextCursor: null });

    const upd = await t.call('PATCH', `${contacts(ws)}/${id}`, { token, body: { name: 'Ada King', email: null } });
    expect(upd.status, upd.text).toBe(200);
    expect(upd.body.name).toBe('Ada King');
    expect(upd.body).not.toHaveProperty('email');

    const blocked = await t.call('POST', `${contacts(ws)}/${id}/block`, { token });
    expect(blocked.status).toBe(200);
    expect(blocked.body.blocked).toBe(true);
    const again = await t.call('POST', `${contacts(ws)}/${id}/block`, { token });
    expect(again.body.blocked).toBe(true);
    const unblocked = await t.call('DELETE', `${contacts(ws)}/${id}/block`, { token });
    expect(unblocked.status).toBe(200);
    expect(unblocked.body.blocked).toBe(false);

    const del = await t.call('DELETE', `${contacts(ws)}/${id}`, { token });
    expect(del.status).toBe(204);
    expect((await t.call('GET', `${contacts(ws)}/${id}`, { token })).status).toBe(404);
    expect((await t.call('DELETE', `${contacts(ws)}/${id}`, { token })).status).toBe(404);

    // The second block changed nothing, so it wrote no entry.
    const actions = (await auditActions(ws, token)).filter((a) => a.startsWith('contact.'));
    expect(actions).toEqual(['contact.delete', 'contact.unblock', 'contact.block', 'contact.update', 'contact.create']);
  });

  it('pages with ?limit= and a cursor that only this list accepts', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await t.call('POST', contacts(ws), { token, body: { name: `C${i}` } })).body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await t.call('GET', `${contacts(ws)}${q}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const teams = await t.call('GET', `/v1/workspaces/${ws}/teams?limit=1`, { token });
    expect(teams.status).toBe(200);
    const forged = Buffer.from(JSON.stringify({ PK: `WS#${ws}`, SK: 'MEMBER#x' })).toString('base64url');
    expect((await t.call('GET', `${contacts(ws)}?cursor=${forged}`, { token })).status).toBe(400);
  });

  it('bad bodies are 400 with the contract body and write nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    for (const body of [
      {},
      { name: '' },
      { name: 'x', email: 'not-an-email' },
      { name: 'x', phone: 'call me' },
      { name: 'x', extra: 1 },
      { name: 'x', attributes: { plan: 'gold' } },
    ]) {
      const res = await t.call('POST', contacts(ws), { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.issues.length).toBeGreaterThan(0);
    }
    expect((await t.call('GET', contacts(ws), { token })).body.items).toEqual([]);
  });

  it('attribute values follow the workspace attributes: unknown keys and wrong types are refused', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const put = await t.call('PUT', `/v1/workspaces/${ws}/attributes`, {
      token,
      body: {
        attributes: [
          { key: 'tier', label: 'Tier', type: 'text' },
          { key: 'seats', label: 'Seats', type: 'number' },
          { key: 'renewal', label: 'Renewal', type: 'date' },
        ],
      },
    });
    expect(put.status, put.text).toBe(200);
    const ok = await t.call('POST', contacts(ws), {
      token,
      body: { name: 'Acme', attributes: { tier: 'gold', seats: 12, renewal: '2030-01-31' } },
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.attributes).toEqual({ tier: 'gold', seats: 12, renewal: '2030-01-31' });

    const wrong = await t.call('PATCH', `${contacts(ws)}/${ok.body.id}`, {
      token,
      body: { attributes: { seats: 'twelve', renewal: 'soon', color: 'red' } },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'body.attributes.color',
      'body.attributes.renewal',
      'body.attributes.seats',
    ]);

    const cleared = await t.call('PATCH', `${contacts(ws)}/${ok.body.id}`, {
      token,
      body: { attributes: { tier: null, seats: 13 } },
    });
    expect(cleared.body.attributes).toEqual({ seats: 13, renewal: '2030-01-31' });

    // Removing a definition hides its values.
    await t.call('PUT', `/v1/workspaces/${ws}/attributes`, {
      token,
      body: { attributes: [{ key: 'seats', label: 'Seats', type: 'number' }] },
    });
    expect((await t.call('GET', `${contacts(ws)}/${ok.body.id}`, { token })).body.attributes).toEqual({ seats: 13 });
  });

  it('attribute keys that name what every object has (constructor, toString, ...) are a 400, never a 500', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const put = await t.call('PUT', `/v1/workspaces/${ws}/attributes`, {
      token,
      body: { attributes: [{ key: 'tier', label: 'Tier', type: 'text' }] },
    });
    expect(put.status, put.text).toBe(200);
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']) {
      const bad = await t.call('PUT', `/v1/workspaces/${ws}/attributes`, {
        token,
        body: { attributes: [{ key, label: 'Reserved', type: 'text' }] },
      });
      expect(bad.status, `${key}: ${bad.text}`).toBe(400);
      expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toContain('body.attributes.0.key');
      const write = await t.call('POST', contacts(ws), { token, body: { name: 'Acme', attributes: { [key]: 'x' } } });
      expect(write.status, `${key}: ${write.text}`).toBe(400);
      expect(write.body.error.issues.map((i: { path: string }) => i.path)).toEqual([`body.attributes.${key}`]);
    }
    const kept = await t.call('GET', `/v1/workspaces/${ws}/attributes`, { token });
    expect(kept.body.attributes.map((a: { key: string }) => a.key)).toEqual(['tier']);
    const ok = await t.call('POST', contacts(ws), { token, body: { name: 'Acme', attributes: { tier: 'gold' } } });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.attributes).toEqual({ tier: 'gold' });
  });

  it("another workspace's contact is 404 in every contact route, and stays as it was", async () => {
    const a = await createWorkspace(t, 'pro');
    const b = await createWorkspace(t, 'pro');
    const id = (await t.call('POST', contacts(a.ws), { token: a.token, body: { name: 'Mine' } })).body.id;
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'Taken' }],
      ['DELETE', '', undefined],
      ['POST', '/block', undefined],
      ['DELETE', '/block', undefined],
    ] as const) {
      const res = await t.call(method, `${contacts(b.ws)}/${id}${suffix}`, { token: b.token, body });
      expect(res.status, `${method} ${suffix}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const opt = await t.call('PUT', `/v1/workspaces/${b.ws}/opt-outs`, { token: b.token, body: { contactIds: [id] } });
    expect(opt.status).toBe(404);
    expect((await t.call('GET', `/v1/workspaces/${b.ws}/opt-outs`, { token: b.token })).body.contactIds).toEqual([]);
    const still = await t.call('GET', `${contacts(a.ws)}/${id}`, { token: a.token });
    expect(still.body).toMatchObject({ name: 'Mine', blocked: false });
  });
});

describe('contactsVisibility: private', () => {
  it('shows a contact to its creator and to members who see an inbox it talked to; the Owner sees all', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const set = await t.call('PATCH', `/v1/workspaces/${ws}`, {
      token,
      body: { settings: { contactsVisibility: 'private' } },
    });
    expect(set.status).toBe(200);
    const alice = await addMember(t, ws, 'agent');
    const bob = await addMember(t, ws, 'agent');
    const made = await t.call('POST', contacts(ws), { token: alice.token, body: { name: "Alice's lead" } });
    expect(made.status, made.text).toBe(201);
    const id = made.body.id as string;
    const ownerMade = await t.call('POST', contacts(ws), { token, body: { name: "Owner's lead" } });

    expect((await t.call('GET', `${contacts(ws)}/${id}`, { token: alice.token })).status).toBe(200);
    expect((await t.call('GET', `${contacts(ws)}/${id}`, { token: bob.token })).status).toBe(404);
    expect((await t.call('PATCH', `${contacts(ws)}/${id}`, { token: bob.token, body: { name: 'x' } })).status).toBe(
      404,
    );
    expect((await t.call('POST', `${contacts(ws)}/${id}/block`, { token: bob.token })).status).toBe(404);
    expect((await t.call('GET', contacts(ws), { token: bob.token })).body.items).toEqual([]);
    const aliceList = await t.call('GET', contacts(ws), { token: alice.token });
    expect(aliceList.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    const ownerList = await t.call('GET', contacts(ws), { token });
    expect(ownerList.body.items.map((c: { id: string }) => c.id)).toEqual([id, ownerMade.body.id]);

    // The contact talks to a private inbox (a conversation there records it): members who see that inbox
    // see the contact; Bob, an Agent outside it, still does not.
    const inbox = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
      token,
      body: { name: 'VIP', visibility: 'private', kind: 'shared' },
    });
    const carol = await addMember(t, ws, 'agent');
    const manager = await addMember(t, ws, 'manager');
    await t.call('PUT', `/v1/workspaces/${ws}/members/${carol.memberId}/inboxes`, {
      token,
      body: { inboxIds: [inbox.body.id] },
    });
    await talkedTo(ws, ownerMade.body.id, inbox.body.id);
    for (const [who, sees] of [
      [carol, true],
      [manager, true],
      [bob, false],
    ] as const) {
      const one = await t.call('GET', `${contacts(ws)}/${ownerMade.body.id}`, { token: who.token });
      expect(one.status).toBe(sees ? 200 : 404);
      const listed = await t.call('GET', contacts(ws), { token: who.token });
      expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual(sees ? [ownerMade.body.id] : []);
    }

    // Back to `team`: everyone sees everything.
    await t.call('PATCH', `/v1/workspaces/${ws}`, { token, body: { settings: { contactsVisibility: 'team' } } });
    expect((await t.call('GET', contacts(ws), { token: bob.token })).body.items).toHaveLength(2);
  });

  it('pages a private viewer through the contacts of many sources without repeats', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    await t.call('PATCH', `/v1/workspaces/${ws}`, { token, body: { settings: { contactsVisibility: 'private' } } });
    const agent = await addMember(t, ws, 'agent');
    const inbox = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
      token,
      body: { name: 'Support', visibility: 'public', kind: 'shared' },
    });
    const expected: string[] = [];
    for (let i = 0; i < 4; i++) {
      expected.push((await t.call('POST', contacts(ws), { token: agent.token, body: { name: `Own ${i}` } })).body.id);
      const other = (await t.call('POST', contacts(ws), { token, body: { name: `Inbox ${i}` } })).body.id;
      await talkedTo(ws, other, inbox.body.id);
      expected.push(other);
      if (i === 0) await talkedTo(ws, expected[0] as string, inbox.body.id); // in two sources: listed once
      await t.call('POST', contacts(ws), { token, body: { name: `Hidden ${i}` } });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const page = await t.call('GET', `${contacts(ws)}${q}`, { token: agent.token });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...expected].sort());
  });
});

/** What a conversation's create or move writes in its transaction (shared/contacts/repository.ts). */
async function talkedTo(ws: string, contactId: string, inboxId: string) {
  const { contactTalkedToInbox } = await import('../../shared/contacts/repository');
  const { transact } = await import('../../shared/db/ops');
  await transact(contactTalkedToInbox(ws, contactId, inboxId));
}

describe('contacts export', () => {
  it('is formula-safe CSV of the contacts the caller sees, one column per attribute', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    await t.call('PUT', `/v1/workspaces/${ws}/attributes`, {
      token,
      body: { attributes: [{ key: 'note', label: 'Note', type: 'text' }] },
    });
    const names = ['=HYPERLINK("http://evil.test","x")', '+cmd', '-2+3', '@SUM(A1)', 'Plain, "quoted"'];
    for (const name of names) {
      const res = await t.call('POST', contacts(ws), {
        token,
        body: { name, phone: '+1 555 0100', attributes: { note: '=1+1' } },
      });
      expect(res.status, res.text).toBe(201);
    }
    const res = await t.call('GET', `${contacts(ws)}/export`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'id',
      'name',
      'email',
      'phone',
      'blocked',
      'createdBy',
      'createdAt',
      'updatedAt',
      'attributes.note',
    ]);
    expect(rows.map((r) => r[1])).toEqual([`'${names[0]}`, `'${names[1]}`, `'${names[2]}`, `'${names[3]}`, names[4]]);
    for (const r of rows) {
      expect(r[3]).toBe("'+1 555 0100");
      expect(r[8]).toBe("'=1+1");
    }
    const agent = await addMember(t, ws, 'agent');
    const refused = await t.call('GET', `${contacts(ws)}/export`, { token: agent.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('contacts.export');
  });
});
