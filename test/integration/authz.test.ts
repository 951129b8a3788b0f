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
