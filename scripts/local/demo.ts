// The demo workspace `npm start` seeds: created through the API itself (so the real path runs), then
// an agent and a member added through the member repository (invitations are their own issue).
import { localSub } from '../../console/src/auth/local-sub';
import type { Workspace } from '../../shared/workspaces/schema';
import type { LocalApi } from './app';

// Subs as the console's local sign-in derives them from the email, so these users see the demo workspace there.
const user = (email: string) => ({ sub: localSub(email), email });
const users = {
  owner: user('owner@demo.example'),
  agent: user('agent@demo.example'),
  member: user('member@demo.example'),
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
