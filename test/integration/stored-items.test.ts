// Over HTTP: members, invitations, API keys, the workspace item and audit entries are parsed with their
// entity's schema when read. An item written before a newer attribute existed reads with that attribute's
// default; an item that does not parse is refused (500 from a handler, 503 from the authorizer, which may
// only fail closed) and never turned into a record with holes or a coerced value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../shared/auth/api-keys';
import { db, GetCommand, PutCommand, tableName, UpdateCommand } from '../../shared/db/client';
import { Conflict } from '../../shared/errors';
import { createRole } from '../../shared/roles/repository';
import { apiKeyItemKey, apiKeyRecordKey } from '../../shared/table/api-keys/keys';
import { auditItem } from '../../shared/table/audit/entry';
import { auditKey } from '../../shared/table/audit/keys';
import { contactKey } from '../../shared/table/contacts/keys';
import { invitationKey } from '../../shared/table/invitations/keys';
import { memberKey, membershipKey } from '../../shared/table/members/keys';
import type { RoleRecord } from '../../shared/table/roles/record';
import { sharedTagKey } from '../../shared/table/tags/keys';
import { workspaceKey } from '../../shared/table/workspaces/keys';
import { addMember, createWorkspace, startTestApi, type TestApi } from '../fixtures/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

async function update(
  Key: { PK: string; SK: string },
  UpdateExpression: string,
  ExpressionAttributeValues?: Record<string, unknown>,
) {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key,
      UpdateExpression,
      ConditionExpression: 'attribute_exists(PK)',
      ...(ExpressionAttributeValues ? { ExpressionAttributeValues } : {}),
    }),
  );
}

const INTERNAL = { code: 'internal', message: 'Internal error' };

describe('stored items written before their newer attributes', () => {
  it('read with the defaults those attributes stand for', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const m = await addMember(t, ws, 'agent');
    // A workspace from before custom roles were counted; a member from before versions, with its last grant gone.
    await update(workspaceKey(ws), 'REMOVE rolesVersion, customRoleCount');
    await update(memberKey(ws, m.memberId), 'SET grants = :none REMOVE version', { ':none': [] });
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: auditItem({
          workspaceId: ws,
          actor: { memberId: null, userId: null, source: 'app' },
          action: 'test.created',
          target: { type: 'test', id: 'x' },
          before: undefined,
          after: { created: true },
        }),
      }),
    );

    const got = await t.call('GET', `/v1/workspaces/${ws}/members/${m.memberId}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: m.memberId, roleId: 'agent', version: 1, status: 'active', teamIds: [] });
    expect(got.body).not.toHaveProperty('grants');
    // The authorizer decides on that workspace item, and its handlers read it.
    expect((await t.call('GET', `/v1/workspaces/${ws}`, { token: m.token })).status).toBe(200);
    const renamed = await t.call('PATCH', `/v1/workspaces/${ws}`, { token, body: { name: 'Renamed' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed');
    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(log.status).toBe(200);
    expect(log.body.items.find((e: { action: string }) => e.action === 'test.created')).toMatchObject({
      before: null,
      after: { created: true },
    });
  });
});

describe('a workspace item from before custom roles were counted (no rolesVersion, no customRoleCount)', () => {
  const counters = async (ws: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: workspaceKey(ws), ConsistentRead: true }),
    );
    return { rolesVersion: Item?.rolesVersion, customRoleCount: Item?.customRoleCount };
  };

  it('creates and deletes custom roles (it reads as version 0, and the write accepts the missing attribute)', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    await update(workspaceKey(ws), 'REMOVE rolesVersion, customRoleCount');
    const made = await t.call('POST', `/v1/workspaces/${ws}/roles`, { token, body: { name: 'Support lead' } });
    expect(made.status).toBe(201);
    expect(await counters(ws)).toEqual({ rolesVersion: 1, customRoleCount: 1 });
    const removed = await t.call('DELETE', `/v1/workspaces/${ws}/roles/${made.body.id}`, { token });
    expect(removed.status).toBe(204);
    expect(await counters(ws)).toEqual({ rolesVersion: 2, customRoleCount: 0 });
  });

  it('lets one of two role writes decided on the same read through, the other is a Conflict', async () => {
    const { ws } = await createWorkspace(t, 'pro');
    await update(workspaceKey(ws), 'REMOVE rolesVersion, customRoleCount');
    const at = new Date().toISOString();
    const role = (id: string): RoleRecord => ({
      id,
      workspaceId: ws,
      name: id,
      nameKey: id,
      description: '',
      permissions: {},
      version: 1,
      createdAt: at,
      updatedAt: at,
      memberCount: 0,
      inviteCount: 0,
      keyCount: 0,
    });
    const audit = (id: string) =>
      auditItem({
        workspaceId: ws,
        actor: { memberId: null, userId: null, source: 'app' },
        action: 'role.create',
        target: { type: 'role', id },
        before: null,
        after: { name: id },
      });
    // Both read the old item as rolesVersion 0.
    await createRole(role('role_first'), 0, 'pro', audit('role_first'));
    await expect(createRole(role('role_second'), 0, 'pro', audit('role_second'))).rejects.toBeInstanceOf(Conflict);
    expect(await counters(ws)).toEqual({ rolesVersion: 1, customRoleCount: 1 });
  });
});

describe('a stored item that does not parse', () => {
  it('is a 500 that shows nothing: a member, an invitation, an API key, an audit entry', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const m = await addMember(t, ws, 'agent');
    const invited = await t.call('POST', `/v1/workspaces/${ws}/invitations`, {
      token,
      body: { email: 'someone@example.test', roleId: 'member' },
    });
    expect(invited.status).toBe(201);
    const key = await t.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      token,
      body: { name: 'Sync', roleId: 'agent' },
    });
    expect(key.status).toBe(201);
    const before = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(before.status).toBe(200);

    // A status no code writes is not read as `active`.
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: memberKey(ws, m.memberId),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'suspended' },
      }),
    );
    const member = await t.call('GET', `/v1/workspaces/${ws}/members/${m.memberId}`, { token });
    expect(member.status).toBe(500);
    expect(member.body.error).toEqual(INTERNAL);
    expect((await t.call('GET', `/v1/workspaces/${ws}/members`, { token })).status).toBe(500);

    await update(invitationKey(ws, invited.body.id), 'SET sendCount = :n', { ':n': 'two' });
    const invitations = await t.call('GET', `/v1/workspaces/${ws}/invitations`, { token });
    expect(invitations.status).toBe(500);
    expect(invitations.body.error).toEqual(INTERNAL);

    await update(apiKeyRecordKey(ws, key.body.id), 'REMOVE keyHash');
    const keys = await t.call('GET', `/v1/workspaces/${ws}/api-keys`, { token });
    expect(keys.status).toBe(500);
    expect(keys.body.error).toEqual(INTERNAL);

    await update(auditKey(ws, before.body.items[0].id), 'REMOVE actor');
    const log = await t.call('GET', `/v1/workspaces/${ws}/audit-log`, { token });
    expect(log.status).toBe(500);
    expect(log.body.error).toEqual(INTERNAL);
  });

  it('is a 500 that shows nothing: a contact, a tag', async () => {
    const { ws, token } = await createWorkspace(t, 'pro');
    const contact = await t.call('POST', `/v1/workspaces/${ws}/contacts`, { token, body: { name: 'Ada' } });
    expect(contact.status).toBe(201);
    const tag = await t.call('POST', `/v1/workspaces/${ws}/tags`, { token, body: { name: 'VIP', kind: 'shared' } });
    expect(tag.status).toBe(201);

    await update(contactKey(ws, contact.body.id), 'SET version = :v', { ':v': 'one' });
    const got = await t.call('GET', `/v1/workspaces/${ws}/contacts/${contact.body.id}`, { token });
    expect(got.status).toBe(500);
    expect(got.body.error).toEqual(INTERNAL);
    expect((await t.call('GET', `/v1/workspaces/${ws}/contacts`, { token })).status).toBe(500);

    await update(sharedTagKey(ws, tag.body.id), 'REMOVE nameKey');
    const tags = await t.call('GET', `/v1/workspaces/${ws}/tags`, { token });
    expect(tags.status).toBe(500);
    expect(tags.body.error).toEqual(INTERNAL);
  });

  it('is a 503 from the authorizer, never an Allow: the workspace, a membership, an API key lookup', async () => {
    const a = await createWorkspace(t, 'pro');
    const m = await addMember(t, a.ws, 'agent');
    const key = await t.call('POST', `/v1/workspaces/${a.ws}/api-keys`, {
      token: a.token,
      body: { name: 'Sync', roleId: 'agent' },
    });
    expect(key.status).toBe(201);
    const me = (token: string) => t.call('GET', `/v1/workspaces/${a.ws}/me`, { token });
    expect((await me(m.token)).status).toBe(200);
    expect((await me(key.body.key)).status).toBe(200);

    // The membership pointer without the member it points at.
    await update(membershipKey(m.userId, a.ws), 'REMOVE memberId');
    const member = await me(m.token);
    expect(member.status).toBe(503);
    expect(member.body.error.code).toBe('unavailable');
    expect((await me(a.token)).status).toBe(200);

    await update(apiKeyItemKey(hashApiKey(key.body.key)), 'SET roleId = :n', { ':n': 7 });
    const byKey = await me(key.body.key);
    expect(byKey.status).toBe(503);
    expect(byKey.body.error.code).toBe('unavailable');

    // A setting value no code writes: nobody is decided on it.
    await update(workspaceKey(a.ws), 'SET settings.contactsVisibility = :v', { ':v': 'everyone' });
    const owner = await me(a.token);
    expect(owner.status).toBe(503);
    expect(owner.body.error.code).toBe('unavailable');
  });
});
