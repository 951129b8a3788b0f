// The demo workspace `npm start` seeds: created through the API itself (so the real path runs), then
// an agent and a member added through the member repository (invitations are their own issue).
import type { Workspace } from '../../shared/workspaces/schema';
import type { LocalApi } from './app';

const users = {
  owner: { sub: 'demo-owner', email: 'owner@demo.example' },
  agent: { sub: 'demo-agent', email: 'agent@demo.example' },
  member: { sub: 'demo-member', email: 'member@demo.example' },
};

export async function seedDemo(api: LocalApi) {
  const tokens = {
    owner: await api.issuer.sign(users.owner),
    agent: await api.issuer.sign(users.agent),
    member: await api.issuer.sign(users.member),
  };
  const res = await fetch(`${api.url}/v1/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.owner}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Demo Inbox Co', plan: 'unlimited' }),
  });
  if (res.status !== 201) throw new Error(`demo seed failed: ${res.status} ${await res.text()}`);
  const { workspace } = (await res.json()) as { workspace: Workspace };
  const { putMember } = await import('../../shared/members/repository');
  const { newId } = await import('../../shared/ids');
  const joinedAt = new Date().toISOString();
  for (const role of ['agent', 'member'] as const) {
    const u = users[role];
    await putMember(workspace.id, {
      id: newId('mem'),
      userId: u.sub,
      email: u.email,
      roleId: role,
      inboxIds: [],
      teamIds: [],
      joinedAt,
    });
  }
  return { workspace, users, tokens };
}
