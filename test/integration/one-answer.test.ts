// One answer everywhere (issue 16, class 4): AuthZEN and the access review judge an API key as the access loader
// does (a removed company admin's key works nowhere); AuthZEN sees contacts as the contacts routes do (the Owner
// sees private-visibility contacts); /me and /authz/check explain the current state, not the authorizer's cached
// decision. Over HTTP through the real authorizer and handlers, DynamoDB Local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  // As deployed: the authorizer's answers are cached (30 s).
  t = await startTestApi({ authorizerCacheTtlSeconds: 30 });
});
afterAll(async () => {
  await t.stop();
});

describe("a removed company admin's API key", () => {
  it('is refused by the authorizer, AuthZEN (evaluation and subject search) and the access review alike', async () => {
    const a = await createWorkspace(t, 'unlimited', 'Cadmin key answers');
    const base = `/v1/workspaces/${a.ws}`;
    const org = await t.call('POST', '/v1/organizations', { token: a.token, body: { name: 'Answers Group' } });
    expect(
      (await t.call('PUT', `/v1/organizations/${org.body.id}/workspaces/${a.ws}`, { token: a.token })).status,
    ).toBe(200);
    const cadmin = uniqueUser('cadmin');
    const admins = `/v1/organizations/${org.body.id}/admins`;
    expect((await t.call('POST', admins, { token: a.token, body: { userId: cadmin } })).status).toBe(201);
    const created = await t.call('POST', `${base}/api-keys`, {
      token: await t.token(cadmin),
      body: { name: 'cadmin key', roleId: 'admin' },
    });
    expect(created.status, created.text).toBe(201);
    const keyId = created.body.id as string;
    const question = {
      subject: { type: 'api_key', id: keyId },
      action: { name: 'workspace.settings.manage' },
      resource: { type: 'workspace', id: a.ws },
    };
    const evaluate = () => t.call('POST', `${base}/access/v1/evaluation`, { token: a.token, body: question });
    const search = () =>
      t.call('POST', `${base}/access/v1/search/subject`, {
        token: a.token,
        body: { subject: { type: 'api_key' }, action: question.action, resource: question.resource },
      });
    const reviewed = async () => {
      const rows: { type: string; id: string }[] = [];
      let cursor = '';
      do {
        const review = await t.call('GET', `${base}/access-review?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
          token: a.token,
        });
        expect(review.status, review.text).toBe(200);
        rows.push(...review.body.items);
        cursor = review.body.nextCursor ?? '';
      } while (cursor);
      return rows.find((i) => i.type === 'apiKey' && i.id === keyId);
    };
    expect((await evaluate()).body.decision).toBe(true);
    expect((await search()).body.results).toEqual([{ type: 'api_key', id: keyId }]);
    expect(await reviewed()).toMatchObject({ status: 'active' });

    expect((await t.call('DELETE', `${admins}/${cadmin}`, { token: a.token })).status).toBe(204);
    expect((await t.call('GET', `${base}/me`, { token: created.body.key })).status).toBe(401);
    const after = await evaluate();
    expect(after.body.decision).toBe(false);
    expect((await search()).body.results).toEqual([]);
    const row = await reviewed();
    expect(row).toMatchObject({ status: 'suspended', permissions: {} });
  });
});

describe('AuthZEN sees contacts as the contacts routes do', () => {
  it('the Owner (and a company admin) see a private-visibility contact they did not create and no inbox of theirs reached', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Private contacts');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const contact = await t.call('POST', `${base}/contacts`, { token: agent.token, body: { name: 'Ada' } });
    expect(contact.status, contact.text).toBe(201);
    const set = await t.call('PATCH', base, { token: w.token, body: { settings: { contactsVisibility: 'private' } } });
    expect(set.status, set.text).toBe(200);
    // The routes: the Owner reads it, and /authz/check says the Owner may.
    expect((await t.call('GET', `${base}/contacts/${contact.body.id}`, { token: w.token })).status).toBe(200);
    const check = await t.call('POST', `${base}/authz/check`, {
      token: w.token,
      body: { action: 'contacts.update', resource: { type: 'contact', id: contact.body.id } },
    });
    expect(check.body.allowed).toBe(true);
    const evaluation = await t.call('POST', `${base}/access/v1/evaluation`, {
      token: w.token,
      body: {
        subject: { type: 'member', id: w.ownerMemberId },
        action: { name: 'contacts.update' },
        resource: { type: 'contact', id: contact.body.id },
      },
    });
    expect(evaluation.status, evaluation.text).toBe(200);
    expect(evaluation.body.decision).toBe(true);
  });
});

describe('/me and /authz/check explain the current state', () => {
  it('after the Owner lets Agents manage attributes, an Agent is told so at once (the authorizer answer is cached)', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Fresh explanations');
    const base = `/v1/workspaces/${w.ws}`;
    const agent = await addMember(t, w.ws, 'agent');
    const explain = () =>
      t.call('POST', `${base}/authz/check`, { token: agent.token, body: { action: 'attributes.manage' } });
    const me = () => t.call('GET', `${base}/me`, { token: agent.token });
    expect((await explain()).body.allowed).toBe(false);
    expect((await me()).body.permissions['attributes.manage']).toBeUndefined();
    const on = await t.call('PATCH', base, {
      token: w.token,
      body: { settings: { agentsCanManageAttributes: true } },
    });
    expect(on.status, on.text).toBe(200);
    const now = await explain();
    expect(now.status, now.text).toBe(200);
    expect(now.body.allowed).toBe(true);
    expect((await me()).body.permissions['attributes.manage']).toBe(true);
  });
});
