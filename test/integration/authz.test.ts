import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoInterceptors, type Interceptor } from '../../shared/db/client';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';
import { countDynamoCalls } from '../fixtures/dynamo-calls';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const check = (ws: string, token: string, body: unknown) =>
  t.call('POST', `/v1/workspaces/${ws}/authz/check`, { token, body });

describe('POST /authz/check', () => {
  it('explains allowed and refused actions for the caller', async () => {
    const { ws } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    const yes = await check(ws, agent.token, { action: 'messages.send' });
    expect(yes.status).toBe(200);
    expect(yes.body).toMatchObject({
      allowed: true,
      permission: 'messages.send',
      roleId: 'agent',
      memberId: agent.memberId,
    });
    const no = await check(ws, agent.token, { action: 'billing.manage' });
    expect(no.body).toMatchObject({ allowed: false, code: 'forbidden', permission: 'billing.manage' });
    expect(no.body.reason).toContain('billing.manage');
    const always = await check(ws, agent.token, { action: 'drafts.manage' });
    expect(always.body.allowed).toBe(true);
  });

  it('names the plan feature when the plan lacks it, even for the owner', async () => {
    const { ws, token } = await createWorkspace(t, 'basic');
    const res = await check(ws, token, { action: 'analytics.view' });
    expect(res.body).toMatchObject({ allowed: false, code: 'plan_limit', feature: 'analytics' });
    expect(res.body.reason).toMatch(/plan/);
  });

  it('answers for another member only to someone with teammates.manage', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    const manager = await addMember(t, ws, 'manager');
    const asOwner = await check(ws, token, { action: 'inboxes.private.access', memberId: agent.memberId });
    expect(asOwner.body).toMatchObject({ allowed: false, memberId: agent.memberId, roleId: 'agent' });
    const asManager = await check(ws, manager.token, { action: 'messages.send', memberId: agent.memberId });
    expect(asManager.status).toBe(403);
    expect(asManager.body.error.permission).toBe('teammates.manage');
    const unknown = await check(ws, token, { action: 'messages.send', memberId: 'mem_nobody' });
    expect(unknown.status).toBe(404);
  });

  it('404s resources of another workspace and refuses unknown actions', async () => {
    const a = await createWorkspace(t, 'unlimited');
    const b = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${b.ws}/roles`, { token: b.token, body: { name: 'B only' } });
    const cross = await check(a.ws, a.token, { action: 'roles.manage', resource: { type: 'role', id: role.body.id } });
    expect(cross.status).toBe(404);
    const own = await check(b.ws, b.token, { action: 'roles.manage', resource: { type: 'role', id: role.body.id } });
    expect(own.body.allowed).toBe(true);
    expect((await check(a.ws, a.token, { action: 'rockets.launch' })).status).toBe(400);
    expect(
      (await check(a.ws, a.token, { action: 'messages.view', resource: { type: 'planet', id: 'x' } })).status,
    ).toBe(400);
  });
});

describe('POST /authz/check about a resource answers as the route does', () => {
  // The check and the route it explains must agree (one policy module): before, a conversation or an inbox was
  // always a 404 here, and the member or role itself was never judged (managing the Owner, oneself or a built-in
  // role read "allowed" while the route refused).
  it('a conversation: allowed where the route answers, 404 where it is hidden, refused where the route is 403', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const base = `/v1/workspaces/${ws}`;
    const agent = await addMember(t, ws, 'agent');
    const admin = await addMember(t, ws, 'admin');
    const inbox = async (visibility: string) =>
      (
        await t.call('POST', `${base}/inboxes`, {
          token,
          body: { name: `In ${visibility}`, visibility, kind: 'shared' },
        })
      ).body.id as string;
    const conversation = async (inboxId: string) =>
      (await t.call('POST', `${base}/inboxes/${inboxId}/conversations`, { token, body: {} })).body.conversation
        .id as string;
    const pub = await inbox('public');
    const open = await conversation(pub);
    const hidden = await conversation(await inbox('private'));
    const about = (id: string) => ({ action: 'messages.view', resource: { type: 'conversation', id } });

    expect((await t.call('GET', `${base}/conversations/${open}`, { token: agent.token })).status).toBe(200);
    const seen = await check(ws, agent.token, about(open));
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body).toMatchObject({ allowed: true, permission: 'messages.view' });

    expect((await t.call('GET', `${base}/conversations/${hidden}`, { token: agent.token })).status).toBe(404);
    expect((await check(ws, agent.token, about(hidden))).status).toBe(404);

    expect((await t.call('GET', `${base}/conversations/${open}`, { token: admin.token })).status).toBe(403);
    const refused = await check(ws, admin.token, about(open));
    expect(refused.body).toMatchObject({ allowed: false, code: 'forbidden', permission: 'messages.view' });

    // About another member: the Owner asks for the Agent, who cannot see the private inbox's conversation.
    const forAgent = await check(ws, token, { ...about(hidden), memberId: agent.memberId });
    expect(forAgent.status, forAgent.text).toBe(200);
    expect(forAgent.body).toMatchObject({ allowed: false, memberId: agent.memberId });
    const inboxCheck = await check(ws, agent.token, { action: 'messages.send', resource: { type: 'inbox', id: pub } });
    expect(inboxCheck.body).toMatchObject({ allowed: true, permission: 'messages.send' });
  });

  it('a member: managing the Owner or oneself is refused, as PATCH /members refuses it', async () => {
    const { ws, ownerMemberId } = await createWorkspace(t, 'unlimited');
    const base = `/v1/workspaces/${ws}`;
    const admin = await addMember(t, ws, 'admin');
    const agent = await addMember(t, ws, 'agent');
    const manage = (id: string) => ({ action: 'teammates.manage', resource: { type: 'member', id } });
    for (const target of [ownerMemberId, admin.memberId]) {
      const route = await t.call('PATCH', `${base}/members/${target}`, {
        token: admin.token,
        body: { roleId: 'member' },
      });
      expect(route.status).toBe(403);
      const said = await check(ws, admin.token, manage(target));
      expect(said.status, said.text).toBe(200);
      expect(said.body).toMatchObject({ allowed: false, code: 'forbidden' });
    }
    expect((await check(ws, admin.token, manage(agent.memberId))).body.allowed).toBe(true);
  });

  it('a built-in role: editing it is refused, as PATCH /roles refuses it', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const route = await t.call('PATCH', `/v1/workspaces/${ws}/roles/agent`, { token, body: { description: 'x' } });
    expect(route.status).toBe(409);
    const said = await check(ws, token, { action: 'roles.manage', resource: { type: 'role', id: 'agent' } });
    expect(said.body).toMatchObject({ allowed: false });
  });
});

describe('the authorizer data path', () => {
  function authorizerEvent(
    token: string,
    method: string,
    resource: string,
    path: string,
    params: Record<string, string>,
  ) {
    return {
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:local:000000000000:local/local/${method}${path}`,
      resource,
      path,
      httpMethod: method,
      headers: { authorization: `Bearer ${token}` },
      pathParameters: params,
    } as unknown as APIGatewayRequestAuthorizerEvent;
  }

  it('makes one DynamoDB round trip per decision in a warm container, for built-in and custom roles alike', async () => {
    const { handler } = await import('../../functions/authorizer/handler');
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const role = await t.call('POST', `/v1/workspaces/${ws}/roles`, {
      token,
      body: { name: 'Settings', permissions: { 'workspace.settings.manage': true } },
    });
    const custom = await addMember(t, ws, role.body.id);
    // The first decision about a custom-role caller in a container learns its role id: a second read.
    const firstSight = await countDynamoCalls(async () => {
      await handler(authorizerEvent(custom.token, 'PATCH', '/v1/workspaces/{ws}', `/v1/workspaces/${ws}`, { ws }));
    });
    expect(firstSight).toBe(2);
    for (const who of [token, custom.token]) {
      let result: Awaited<ReturnType<typeof handler>> | undefined;
      const calls = await countDynamoCalls(async () => {
        result = await handler(authorizerEvent(who, 'PATCH', '/v1/workspaces/{ws}', `/v1/workspaces/${ws}`, { ws }));
      });
      expect(calls).toBe(1);
      expect(result?.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    }
  });

  it('denies with the contract body in the context, scoped to the exact method ARN', async () => {
    const { handler } = await import('../../functions/authorizer/handler');
    const { ws } = await createWorkspace(t, 'unlimited');
    const agent = await addMember(t, ws, 'agent');
    const event = authorizerEvent(agent.token, 'PATCH', '/v1/workspaces/{ws}', `/v1/workspaces/${ws}`, { ws });
    const result = await handler(event);
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny', Resource: event.methodArn });
    expect(JSON.parse(String(result.context?.errorBody))).toEqual({
      error: {
        code: 'forbidden',
        message: expect.stringContaining('workspace.settings.manage'),
        permission: 'workspace.settings.manage',
      },
    });
  });

  it('fails closed when DynamoDB cannot answer: an error, never an Allow', async () => {
    const { handler } = await import('../../functions/authorizer/handler');
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const throttled = () =>
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } });
    const fail: Interceptor = async () => {
      throw throttled();
    };
    dynamoInterceptors.add(fail);
    try {
      await expect(
        handler(authorizerEvent(token, 'GET', '/v1/workspaces/{ws}', `/v1/workspaces/${ws}`, { ws })),
      ).rejects.toThrow();
      // Over HTTP: the gateway turns the authorizer failure into 503, and a handler's into 503 too.
      const viaGateway = await t.call('GET', `/v1/workspaces/${ws}`, { token });
      expect(viaGateway.status).toBe(503);
      expect(viaGateway.headers.get('retry-after')).toBe('1');
      expect(viaGateway.body.error.code).toBe('unavailable');
      const handlerFailure = await t.call('POST', '/v1/workspaces', { token, body: { name: 'During outage' } });
      expect(handlerFailure.status).toBe(503);
      expect(handlerFailure.body.error.code).toBe('unavailable');
      expect(handlerFailure.headers.get('retry-after')).toBe('1');
    } finally {
      dynamoInterceptors.delete(fail);
    }
  });
});
