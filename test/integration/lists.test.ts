// Workspace lists over HTTP, with their effect on sending: opt-outs (409 opted_out), restricted words
// (422 restricted_word naming the word; whole word, case-insensitive), attributes (the Agent follows
// agentsCanManageAttributes); each PUT audited, bad input writes nothing, a deleted contact leaves the
// opt-out list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OPT_OUT_CHANGES } from '../../shared/contacts/list-schema';
import { findRestrictedWord } from '../../shared/contacts/list-service';
import { db, QueryCommand, tableName } from '../../shared/db/client';
import { wsPk } from '../../shared/table/workspaces/keys';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function conversationWith(ws: string, token: string, contactId?: string) {
  const inbox = await t.call('POST', `/v1/workspaces/${ws}/inboxes`, {
    token,
    body: { name: 'Support', visibility: 'public', kind: 'shared' },
  });
  const conv = await t.call('POST', `/v1/workspaces/${ws}/inboxes/${inbox.body.id}/conversations`, {
    token,
    body: { subject: 'Hello', ...(contactId ? { contactId } : {}) },
  });
  expect(conv.status, conv.text).toBe(201);
  return conv.body.conversation.id as string;
}

/** The contacts with an opt-out marker (what a send's transaction checks), which must be the list's contacts. */
async function markers(ws: string): Promise<string[]> {
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
      ExpressionAttributeValues: { ':pk': wsPk(ws), ':m': 'OPTOUT#' },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).map((i) => String(i.contactId)).sort();
}
const optOutList = async (ws: string, token: string) =>
  ((await t.call('GET', `/v1/workspaces/${ws}/opt-outs`, { token })).body.contactIds as string[]).sort();

const send = (ws: string, token: string, conversationId: string, body: string) =>
  t.call('POST', `/v1/workspaces/${ws}/conversations/${conversationId}/messages`, { token, body: { body } });

describe('opt-outs', () => {
  it('a message to an opted-out contact is 409 opted_out; comments still work; opting back in sends', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const contact = await t.call('POST', `/v1/workspaces/${ws}/contacts`, { token, body: { name: 'Dana' } });
    const conversationId = await conversationWith(ws, token, contact.body.id);
    expect((await send(ws, token, conversationId, 'Before')).status).toBe(201);

    const put = await t.call('PUT', `/v1/workspaces/${ws}/opt-outs`, {
      token,
      body: { contactIds: [contact.body.id, contact.body.id] },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toEqual({ contactIds: [contact.body.id] });
    expect((await t.call('GET', `/v1/workspaces/${ws}/opt-outs`, { token })).body).toEqual(put.body);

    const refused = await send(ws, token, conversationId, 'After');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'opted_out', contactId: contact.body.id });
    const comment = await t.call('POST', `/v1/workspaces/${ws}/conversations/${conversationId}/comments`, {
      token,
      body: { body: 'They opted out' },
    });
    expect(comment.status).toBe(201);
    const messages = await t.call('GET', `/v1/workspaces/${ws}/conversations/${conversationId}/messages`, { token });
    expect(messages.body.items.map((m: { body: string }) => m.body)).toEqual(['Before', 'They opted out']);

    await t.call('PUT', `/v1/workspaces/${ws}/opt-outs`, { token, body: { contactIds: [] } });
    expect((await send(ws, token, conversationId, 'Welcome back')).status).toBe(201);
  });

  it('unknown contact ids are 404 and write nothing; a deleted contact leaves the list', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const keep = await t.call('POST', `/v1/workspaces/${ws}/contacts`, { token, body: { name: 'Keep' } });
    const gone = await t.call('POST', `/v1/workspaces/${ws}/contacts`, { token, body: { name: 'Gone' } });
    const unknown = await t.call('PUT', `/v1/workspaces/${ws}/opt-outs`, {
      token,
      body: { contactIds: [keep.body.id, 'ct_01ZZZZZZZZZZZZZZZZZZZZZZZZ'] },
    });
    expect(unknown.status).toBe(404);
    expect((await t.call('GET', `/v1/workspaces/${ws}/opt-outs`, { token })).body.contactIds).toEqual([]);

    await t.call('PUT', `/v1/workspaces/${ws}/opt-outs`, { token, body: { contactIds: [keep.body.id, gone.body.id] } });
    expect(await markers(ws)).toEqual([keep.body.id, gone.body.id].sort());
    expect((await t.call('DELETE', `/v1/workspaces/${ws}/contacts/${gone.body.id}`, { token })).status).toBe(204);
    expect((await t.call('GET', `/v1/workspaces/${ws}/opt-outs`, { token })).body.contactIds).toEqual([keep.body.id]);
    expect(await markers(ws)).toEqual([keep.body.id]);
  });

  it(`a PUT adding or removing more than ${MAX_OPT_OUT_CHANGES} contacts is 400 and writes nothing; up to that it applies, markers with the list`, async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const ids: string[] = [];
    for (let i = 0; i <= MAX_OPT_OUT_CHANGES; i++) {
      const c = await t.call('POST', `/v1/workspaces/${ws}/contacts`, { token, body: { name: `Contact ${i}` } });
      expect(c.status, c.text).toBe(201);
      ids.push(c.body.id);
    }
    const put = (contactIds: string[]) =>
      t.call('PUT', `/v1/workspaces/${ws}/opt-outs`, { token, body: { contactIds } });
    const tooMany = await put(ids);
    expect(tooMany.status, tooMany.text).toBe(400);
    expect(tooMany.body.error.issues).toEqual([
      { path: 'body.contactIds', message: expect.stringContaining(`At most ${MAX_OPT_OUT_CHANGES} contacts`) },
    ]);
    expect(await optOutList(ws, token)).toEqual([]);
    expect(await markers(ws)).toEqual([]);

    const first = ids.slice(0, MAX_OPT_OUT_CHANGES);
    expect((await put(first)).status).toBe(200);
    expect(await markers(ws)).toEqual([...first].sort());
    // Removals count too: dropping all of them and adding the last one is one change too many.
    const swapAll = await put([ids[MAX_OPT_OUT_CHANGES]!]);
    expect(swapAll.status, swapAll.text).toBe(400);
    expect(await optOutList(ws, token)).toEqual([...first].sort());
    const swapOne = [...first.slice(1), ids[MAX_OPT_OUT_CHANGES]!];
    expect((await put(swapOne)).status).toBe(200);
    expect(await optOutList(ws, token)).toEqual([...swapOne].sort());
    expect(await markers(ws)).toEqual([...swapOne].sort());

    // The send follows: the contact taken out gets messages again, the one added does not.
    const out = await conversationWith(ws, token, ids[0]!);
    expect((await send(ws, token, out, 'Hello again')).status).toBe(201);
    const added = await conversationWith(ws, token, ids[MAX_OPT_OUT_CHANGES]!);
    expect((await send(ws, token, added, 'Hello')).body.error).toMatchObject({ code: 'opted_out' });
  });

  it('a Member views opt-outs but may not change them; an Agent neither changes them', async () => {
    const { ws } = await createWorkspace(t, 'pro');
    for (const role of ['member', 'agent']) {
      const m = await addMember(t, ws, role);
      expect((await t.call('GET', `/v1/workspaces/${ws}/opt-outs`, { token: m.token })).status).toBe(200);
      const put = await t.call('PUT', `/v1/workspaces/${ws}/opt-outs`, { token: m.token, body: { contactIds: [] } });
      expect(put.status).toBe(403);
      expect(put.body.error.permission).toBe('optOuts.manage');
    }
  });
});

describe('restricted words', () => {
  it('whole words, case-insensitive: "Scam" is refused naming the word, "scampi" is allowed', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const put = await t.call('PUT', `/v1/workspaces/${ws}/restricted-words`, {
      token,
      body: { words: ['scam', 'SCAM', 'free money'] },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toEqual({ words: ['scam', 'free money'] });
    const conversationId = await conversationWith(ws, token);
    for (const [body, word] of [
      ['This is a Scam!', 'scam'],
      ['SCAM', 'scam'],
      ['Get FREE   money now', 'free money'],
      ['ｓｃａｍ in fullwidth', 'scam'],
    ] as const) {
      const res = await send(ws, token, conversationId, body);
      expect(res.status, body).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'restricted_word', word });
    }
    for (const body of ['scampi for dinner', 'scams?', 'freemoney', 'Hello']) {
      expect((await send(ws, token, conversationId, body)).status, body).toBe(201);
    }
    // Comments are internal: never refused for a word.
    const comment = await t.call('POST', `/v1/workspaces/${ws}/conversations/${conversationId}/comments`, {
      token,
      body: { body: 'is this a scam?' },
    });
    expect(comment.status).toBe(201);
  });

  it('names the word that comes first in the message', () => {
    expect(findRestrictedWord('a refund for the scam', ['scam', 'refund'])).toBe('refund');
    expect(findRestrictedWord('über-Scam', ['scam'])).toBe('scam');
    expect(findRestrictedWord('scam_bot', ['scam'])).toBeUndefined();
  });

  it('only restrictedWords.manage changes them (Owner, Admin); every member reads them', async () => {
    const { ws } = await createWorkspace(t, 'pro');
    for (const [role, status] of [
      ['admin', 200],
      ['manager', 403],
      ['member', 403],
    ] as const) {
      const m = await addMember(t, ws, role);
      const res = await t.call('PUT', `/v1/workspaces/${ws}/restricted-words`, {
        token: m.token,
        body: { words: ['x'] },
      });
      expect(res.status, role).toBe(status);
      expect((await t.call('GET', `/v1/workspaces/${ws}/restricted-words`, { token: m.token })).status).toBe(200);
    }
  });
});

describe('attributes', () => {
  it('the Agent manages them only while agentsCanManageAttributes is on; each PUT is audited', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const agent = await addMember(t, ws, 'agent');
    const body = { attributes: [{ key: 'tier', label: 'Tier', type: 'text' }] };
    const off = await t.call('PUT', `/v1/workspaces/${ws}/attributes`, { token: agent.token, body });
    expect(off.status).toBe(403);
    expect(off.body.error.permission).toBe('attributes.manage');
    await t.call('PATCH', `/v1/workspaces/${ws}`, { token, body: { settings: { agentsCanManageAttributes: true } } });
    const on = await t.call('PUT', `/v1/workspaces/${ws}/attributes`, { token: agent.token, body });
    expect(on.status, on.text).toBe(200);
    expect((await t.call('GET', `/v1/workspaces/${ws}/attributes`, { token: agent.token })).body).toEqual(body);
    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    const entry = log.body.items.find((e: { action: string }) => e.action === 'list.attributes.replace');
    expect(entry).toMatchObject({ actor: { memberId: agent.memberId }, before: [], after: body.attributes });
  });

  it('bad lists are 400 and write nothing', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    for (const [path, body] of [
      [
        'attributes',
        {
          attributes: [
            { key: 'a', label: 'A', type: 'text' },
            { key: 'a', label: 'B', type: 'text' },
          ],
        },
      ],
      ['attributes', { attributes: [{ key: '1bad', label: 'A', type: 'text' }] }],
      ['attributes', { attributes: [{ key: 'a', label: 'A', type: 'color' }] }],
      ['restricted-words', { words: ['   '] }],
      ['restricted-words', { words: Array.from({ length: 501 }, (_, i) => `w${i}`) }],
      ['opt-outs', { contactIds: Array.from({ length: 1001 }, (_, i) => `ct_${i}`) }],
    ] as const) {
      const res = await t.call('PUT', `/v1/workspaces/${ws}/${path}`, { token, body });
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await t.call('GET', `/v1/workspaces/${ws}/attributes`, { token })).body).toEqual({ attributes: [] });
    expect((await t.call('GET', `/v1/workspaces/${ws}/restricted-words`, { token })).body).toEqual({ words: [] });
  });
});
