// The console's Teams and Inboxes pages in Chromium: a team is made, then its members and inboxes are chosen;
// an inbox is renamed and made private, members are assigned to it, and it is deleted. Role + accessible-name
// locators, keyboard for the checkboxes, axe-core on each dialog, and the Inboxes page at 375 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTeammate,
  apiCall,
  expectAccessible,
  type OwnerConsole,
  ownerConsole,
  poll,
  screenshot,
  signIn,
  tabTo,
} from '../fixtures/browser';

const run = Date.now().toString(36);
const owner = `tess.owner.${run}@initrode.test`;
const agent = `abe.agent.${run}@initrode.test`;
const agentId = `mem_${run}_a`;
const late = { id: `mem_${run}_z`, email: `zoe.late.${run}@initrode.test`, roleId: 'member' };
let env: OwnerConsole;
let ws: string;
let ownerToken: string;
let base: string;

beforeAll(async () => {
  env = await ownerConsole({
    owner,
    workspace: `Initrode ${run}`,
    teammates: [{ id: agentId, email: agent, roleId: 'agent' }],
  });
  ({ ws, ownerToken, base } = env);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

const inboxes = async () =>
  (await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/inboxes`)).items as {
    id: string;
    name: string;
    visibility: string;
  }[];

describe('console: Teams', () => {
  it('Create team opens Edit team, where its members and inboxes are chosen (keyboard) and saved', async () => {
    const { page } = env;
    const vip = await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/inboxes`, {
      name: 'VIP',
      visibility: 'private',
    });
    await page.goto(`${base}/teams`);
    await page.getByRole('textbox', { name: 'Team name' }).fill('Tier 2');
    await page.getByRole('button', { name: 'Create team' }).press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Edit team Tier 2' });
    await dialog.waitFor();
    const member = dialog.getByRole('group', { name: 'Members' }).getByRole('checkbox', { name: agent });
    const inbox = dialog.getByRole('group', { name: 'Inboxes' }).getByRole('checkbox', { name: 'VIP' });
    await member.waitFor();
    await inbox.waitFor();
    await tabTo(page, member);
    await page.keyboard.press('Space');
    await tabTo(page, inbox);
    await page.keyboard.press('Space');
    expect(await member.isChecked()).toBe(true);
    expect(await inbox.isChecked()).toBe(true);
    await expectAccessible(page, 'edit team');
    await screenshot(page, 'team-edit');
    await tabTo(page, dialog.getByRole('button', { name: 'Save team' }));
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('status').textContent()).toContain('Team Tier 2 saved.');
    expect(await page.getByRole('dialog').count()).toBe(0);
    const teams = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/teams`);
    expect(teams.items).toEqual([
      expect.objectContaining({ name: 'Tier 2', memberIds: [agentId], inboxIds: [vip.id] }),
    ]);
    const row = page.getByRole('row').filter({ hasText: 'Tier 2' });
    await poll(() => row.getByRole('cell').allTextContents()).toEqual(['Tier 2', '1', '1', expect.any(String)]);

    // Taking the inbox away again goes through the same dialog.
    await page.getByRole('button', { name: 'Edit team Tier 2' }).click();
    await dialog.getByRole('group', { name: 'Inboxes' }).getByRole('checkbox', { name: 'VIP' }).uncheck();
    await dialog.getByRole('button', { name: 'Save team' }).click();
    await poll(
      async () => (await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/teams`)).items[0].inboxIds,
    ).toEqual([]);
  });
});

describe('console: Inboxes', () => {
  it('an inbox is renamed and made private, gets members, and is deleted, each from its row', async () => {
    const { page } = env;
    await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/inboxes`, { name: 'Billing desk' });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/inboxes`);
    await page.getByRole('button', { name: 'Edit inbox Billing desk' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit inbox Billing desk' });
    await edit.getByRole('textbox', { name: 'Inbox name' }).fill('Billing');
    await edit.getByRole('combobox', { name: 'Visibility' }).selectOption('private');
    await expectAccessible(page, 'edit inbox (375 px)');
    await edit.getByRole('button', { name: 'Save inbox' }).click();
    await poll(() => page.getByRole('status').textContent()).toContain('Inbox Billing saved.');
    await poll(async () => (await inboxes()).find((i) => i.name === 'Billing')?.visibility).toBe('private');
    await poll(() => page.getByRole('row').filter({ hasText: 'Billing' }).getByRole('cell').nth(1).textContent()).toBe(
      'Private',
    );

    await page.getByRole('button', { name: 'Members of inbox Billing' }).click();
    const members = page.getByRole('dialog', { name: 'Members of inbox Billing' });
    const box = members.getByRole('group', { name: 'Assigned members' }).getByRole('checkbox', { name: agent });
    await box.check();
    await expectAccessible(page, 'inbox members');
    await screenshot(page, 'inbox-members');
    await members.getByRole('button', { name: 'Save members' }).click();
    await poll(() => page.getByRole('status').textContent()).toContain('Members of inbox Billing saved.');
    const billing = (await inboxes()).find((i) => i.name === 'Billing')!;
    const assigned = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/members/${agentId}`);
    expect(assigned.inboxIds).toEqual([billing.id]);

    await page.getByRole('button', { name: 'Delete inbox Billing' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete inbox Billing' });
    await confirm.getByRole('button', { name: 'Delete inbox' }).click();
    await poll(() => page.getByRole('status').textContent()).toContain('Inbox Billing deleted.');
    expect((await inboxes()).map((i) => i.name)).not.toContain('Billing');
    await poll(() => page.getByRole('row').filter({ hasText: 'Billing' }).count()).toBe(0);
    await expectAccessible(page, 'inboxes (375 px)');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('Members of inbox lists every member, page after page (a member past the first 100 can be assigned)', async () => {
    const { page } = env;
    // 100 more teammates, then one whose id sorts last: the API lists 100 a page, so it is on the second.
    const joinedAt = new Date().toISOString();
    for (let i = 0; i < 100; i++) {
      const email = `filler.${String(i).padStart(3, '0')}.${run}@initrode.test`;
      await addTeammate(ws, { id: `mem_${run}_f${String(i).padStart(3, '0')}`, email, roleId: 'member' }, joinedAt);
    }
    await addTeammate(ws, late, joinedAt);
    const escalations = await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/inboxes`, {
      name: 'Escalations',
    });
    await page.goto(`${base}/inboxes`);
    await page.getByRole('button', { name: 'Members of inbox Escalations' }).click();
    const dialog = page.getByRole('dialog', { name: 'Members of inbox Escalations' });
    const box = dialog.getByRole('group', { name: 'Assigned members' }).getByRole('checkbox', { name: late.email });
    await box.check();
    await dialog.getByRole('button', { name: 'Save members' }).click();
    await poll(() => page.getByRole('status').textContent()).toContain('Members of inbox Escalations saved.');
    const assigned = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/members/${late.id}`);
    expect(assigned.inboxIds).toEqual([escalations.id]);
  });

  it('a save the API refuses in part says what was saved and what was not, and shows the members as they are', async () => {
    const { page } = env;
    const leaving = `lou.leaving.${run}@initrode.test`;
    const leavingId = `mem_${run}_l`;
    await addTeammate(ws, { id: leavingId, email: leaving, roleId: 'member' });
    await page.goto(`${base}/inboxes`);
    await page.getByRole('button', { name: 'Members of inbox Escalations' }).click();
    const dialog = page.getByRole('dialog', { name: 'Members of inbox Escalations' });
    const group = dialog.getByRole('group', { name: 'Assigned members' });
    await group.getByRole('checkbox', { name: late.email }).uncheck();
    await group.getByRole('checkbox', { name: agent }).check();
    await group.getByRole('checkbox', { name: leaving }).check();
    // Meanwhile someone gives the agent another inbox: saving here must not take it away again.
    const night = await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/inboxes`, { name: 'Night' });
    await apiCall(env.api, ownerToken, 'PUT', `/v1/workspaces/${ws}/members/${agentId}/inboxes`, {
      inboxIds: [
        ...(await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/members/${agentId}`)).inboxIds,
        night.id,
      ],
    });
    // Someone else removes a member while the dialog is open: the API refuses that member's change.
    await apiCall(env.api, ownerToken, 'DELETE', `/v1/workspaces/${ws}/members/${leavingId}`);
    await dialog.getByRole('button', { name: 'Save members' }).click();
    const alert = dialog.getByRole('alert');
    await poll(() => alert.textContent()).toContain(`Not saved: ${leaving} added: Member not found.`);
    const said = (await alert.textContent()) ?? '';
    expect(said).toMatch(/^Saved: /);
    expect(said).toContain(`${late.email} removed`);
    expect(said).toContain(`${agent} added`);
    // Read again: the removed member is gone, the saved changes show as the API holds them.
    await poll(() => group.getByRole('checkbox', { name: leaving }).count()).toBe(0);
    expect(await group.getByRole('checkbox', { name: agent }).isChecked()).toBe(true);
    expect(await group.getByRole('checkbox', { name: late.email }).isChecked()).toBe(false);
    const escalations = (await inboxes()).find((i) => i.name === 'Escalations')!;
    const agentNow = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/members/${agentId}`);
    expect(agentNow.inboxIds).toEqual(expect.arrayContaining([escalations.id, night.id]));
    await expectAccessible(page, 'inbox members after a partial refusal');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('an agent, who configures no shared inbox, is offered no Edit, Members or Delete', async () => {
    const { page } = env;
    await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/inboxes`, { name: 'General' });
    await page.evaluate('sessionStorage.clear()');
    await signIn(page, env.url, agent);
    await page.getByRole('link', { name: `Initrode ${run}` }).waitFor();
    await page.goto(`${base}/inboxes`);
    await page.getByRole('row').filter({ hasText: 'General' }).waitFor();
    expect(await page.getByRole('button', { name: /^(Edit|Members of|Delete) inbox/ }).count()).toBe(0);
  });
});
