// The console's Roles editor, the invitation link's accept page and the other workspace pages in
// Chromium (CONSOLE.md): role + accessible-name locators, axe-core on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  expectAccessible,
  type OwnerConsole,
  ownerConsole,
  poll,
  screenshot,
  signIn,
  tokenFor,
} from '../fixtures/browser';

const run = Date.now().toString(36);
const owner = `olivia.owner.${run}@globex.test`;
const holder = `hank.holder.${run}@globex.test`;
let env: OwnerConsole;
let ws: string;
let ownerToken: string;
let base: string;

beforeAll(async () => {
  env = await ownerConsole({
    owner,
    workspace: `Globex ${run}`,
    teammates: [{ id: `mem_${run}_h`, email: holder, roleId: 'member' }],
  });
  ({ ws, ownerToken, base } = env);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

async function outbox(to: string): Promise<{ text: string }[]> {
  const res = await fetch(`${env.api.url}/dev/outbox?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { items: { text: string }[] }).items;
}

describe('console: Roles', () => {
  it('lists roles with Role, Kind and Members; a new role is made with the permission editor', async () => {
    const { page } = env;
    await page.goto(`${base}/roles`);
    await poll(() => page.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['Role', 'Kind', 'Members']),
    );
    await expectAccessible(page, 'roles');
    await screenshot(page, 'roles');

    await page.getByRole('button', { name: 'New role' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('New role');
    // One fieldset per catalog section, each with its "Full access to" checkbox.
    const catalog = await apiCall(env.api, ownerToken, 'GET', '/v1/permissions');
    await poll(() => page.getByRole('group').count()).toBe(catalog.sections.length);
    const teammates = page.getByRole('group', { name: 'Teammates' });
    await page.getByRole('textbox', { name: 'Name' }).fill('Team lead');
    await page.getByRole('combobox', { name: 'Start from' }).selectOption('agent');
    await teammates.getByRole('checkbox', { name: 'Full access to Teammates' }).check();
    const scoped = catalog.sections.flatMap((s: any) => s.permissions).find((p: any) => p.scoped);
    const select = page.getByRole('combobox', { name: scoped.label, exact: true });
    expect(await select.locator('option').allTextContents()).toEqual(['No access', 'Assigned', 'Groups', 'All']);
    await select.selectOption('groups');
    await expectAccessible(page, 'role editor');
    await screenshot(page, 'role-editor');
    await page.getByRole('button', { name: 'Save role' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Team lead');
    const roles = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/roles`);
    const made = roles.items.find((r: any) => r.name === 'Team lead');
    expect(made.permissions['teammates.manage']).toBe(true);
    expect(made.permissions[scoped.key]).toBe('groups');
  });

  it('editing a role someone holds shows who is affected before Save role', async () => {
    const { page } = env;
    const roles = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/roles`);
    const lead = roles.items.find((r: any) => r.name === 'Team lead');
    await apiCall(env.api, ownerToken, 'PATCH', `/v1/workspaces/${ws}/members/mem_${run}_h`, {
      roleId: lead.id,
    });
    await page.goto(`${base}/roles/${lead.id}`);
    const full = page.getByRole('checkbox', { name: 'Full access to Teammates' });
    await poll(() => full.isChecked()).toBe(true);
    await full.uncheck();
    const affected = page.getByRole('region', { name: 'Who is affected' });
    await poll(() => affected.textContent()).toContain(`lost by ${holder}`);
    // Not saved yet.
    const still = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/roles/${lead.id}`);
    expect(still.permissions['teammates.manage']).toBe(true);
    await expectAccessible(page, 'role edit with who is affected');
    await screenshot(page, 'role-who-is-affected');
    await page.getByRole('button', { name: 'Save role' }).click();
    await poll(() => page.getByRole('status').textContent()).toContain('saved');
    const after = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/roles/${lead.id}`);
    expect(after.permissions['teammates.manage']).toBeUndefined();
  });

  it('a built-in role opens read-only, with Duplicate starting a custom role from it', async () => {
    const { page } = env;
    await page.goto(`${base}/roles`);
    await page.getByRole('link', { name: 'Agent', exact: true }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Agent');
    expect(await page.getByRole('button', { name: 'Save role' }).count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Teammates' }).getByRole('combobox').first().isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('New role');
    await poll(() => page.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Agent (copy)');
  });
});

describe('console: accepting an invitation', () => {
  it('the email’s link signs the invitee in, accepts, and a used link says so', async () => {
    const { page } = env;
    const invitee = `ivy.invitee.${run}@globex.test`;
    await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/invitations`, { email: invitee, roleId: 'agent' });
    await poll(async () => (await outbox(invitee)).length, 15_000).toBeGreaterThan(0);
    const mails = await outbox(invitee);
    const link = /https?:\/\/\S+\/console\/accept\?token=([A-Za-z0-9_-]+)/.exec(mails[0]!.text);
    expect(link, mails[0]!.text).not.toBeNull();
    await page
      .getByRole('button', { name: 'Sign out' })
      .click()
      .catch(() => undefined);
    await page.goto(`${env.url}accept?token=${link![1]}`);
    // Before signing in, the page names the workspace and the role, and the address to sign in with.
    const main = page.getByRole('main');
    await poll(() => main.textContent()).toContain(`You are invited to Globex ${run} as Agent.`);
    expect(await main.textContent()).toContain(`Sign in with ${invitee}`);
    await poll(() => page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(invitee);
    await expectAccessible(page, 'accept (sign in)');
    await screenshot(page, 'accept-invitation');
    // Keyboard only: the Email field is filled, Tab to Sign in, then to Accept invitation.
    await page.getByRole('textbox', { name: 'Email' }).press('Enter');
    const accept = page.getByRole('button', { name: 'Accept invitation' });
    await accept.waitFor();
    await accept.focus();
    await page.keyboard.press('Enter');
    // Lands in the workspace joined.
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Members');
    expect(new URL(page.url()).pathname).toBe(`/console/w/${ws}/members`);
    // The link is single-use: opening it again says so, and offers nothing else.
    await page.goto(`${env.url}accept?token=${link![1]}`);
    await poll(() => page.getByRole('alert').textContent()).toContain('no longer works');
    expect(await page.getByRole('button', { name: 'Accept invitation' }).count()).toBe(0);
    expect(await page.getByRole('main').textContent()).not.toContain(`Globex ${run}`);
    await expectAccessible(page, 'accept (used link)');
  });
});

describe('console: the other workspace pages', () => {
  it('Billing, Audit log, Teams, Inboxes, Access requests, API keys, Settings: one h1 each, accessible', async () => {
    const { page } = env;
    await page.evaluate('sessionStorage.clear()');
    await signIn(page, env.url, owner);
    await page.getByRole('link', { name: `Globex ${run}` }).click();
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    for (const name of ['Billing', 'Audit log', 'Teams', 'Inboxes', 'Access requests', 'API keys', 'Settings']) {
      await nav.getByRole('link', { name, exact: true }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).allTextContents()).toEqual([name]);
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('alert').count(), `${name}: ${await page.getByRole('alert').allTextContents()}`).toBe(
        0,
      );
      await expectAccessible(page, name);
      if (name === 'Billing' || name === 'Audit log') await screenshot(page, name.toLowerCase().replace(' ', '-'));
    }
    await nav.getByRole('link', { name: 'Billing' }).click();
    // The terms appear once the seats answer is in: wait for them rather than read the page mid-load.
    for (const term of ['Seats used', 'Seat limit', 'Paid seats']) {
      await poll(() => page.getByRole('term').filter({ hasText: term }).count()).toBe(1);
    }
    await nav.getByRole('link', { name: 'Audit log' }).click();
    await poll(() => page.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['When', 'Who', 'Action', 'Target']),
    );
    expect(await page.getByRole('link', { name: 'Export CSV' }).count()).toBe(1);
  }, 120_000);

  it('an API key is shown once when made', async () => {
    const { page } = env;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('textbox', { name: 'Key name' }).fill('CRM sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByRole('region', { name: 'Your new key' });
    await poll(() => shown.isVisible()).toBe(true);
    await poll(() => page.getByRole('row').filter({ hasText: 'CRM sync' }).count()).toBe(1);
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'CRM sync' }).waitFor();
    expect(await page.getByRole('region', { name: 'Your new key' }).count()).toBe(0);
  });

  it('Access requests: a pending request is approved with Approve request from {email}', async () => {
    const { page } = env;
    const holderToken = await tokenFor(env.api, holder);
    await apiCall(env.api, holderToken, 'POST', `/v1/workspaces/${ws}/access-requests`, {
      roleId: 'manager',
      reason: 'Covering for the team lead',
    });
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Access requests' }).click();
    const approve = page.getByRole('button', { name: `Approve request from ${holder}` });
    await approve.waitFor();
    expect(await page.getByRole('button', { name: `Deny request from ${holder}` }).count()).toBe(1);
    await expectAccessible(page, 'access requests');
    await approve.click();
    await poll(() => page.getByRole('status').textContent()).toContain(`Request from ${holder} approved`);
    const member = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/members/mem_${run}_h`);
    expect(member.roleId).toBe('manager');
  });

  it('Settings › Provisioning (SCIM): a SCIM token is shown once when made', async () => {
    const { page } = env;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Settings' }).click();
    const scim = page.getByRole('region', { name: 'Provisioning (SCIM)' });
    await scim.getByRole('textbox', { name: 'Token name' }).fill('Okta');
    await scim.getByRole('button', { name: 'Create SCIM token' }).click();
    const shown = page.getByRole('region', { name: 'Your new SCIM token' });
    await poll(() => shown.textContent()).toMatch(/scim_/);
    await poll(() => scim.getByRole('button', { name: 'Revoke SCIM token Okta' }).count()).toBe(1);
    await expectAccessible(page, 'settings with SCIM');
  });

  it('Create workspace: name and plan, then its Members page', async () => {
    const { page } = env;
    await page.goto(env.url);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create workspace' });
    await dialog.getByRole('textbox', { name: 'Workspace name' }).fill(`Initech ${run}`);
    await dialog.getByRole('combobox', { name: 'Plan' }).selectOption('basic');
    await expectAccessible(page, 'create workspace');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Members');
    expect(page.url()).toMatch(/\/console\/w\/ws_[^/]+\/members$/);
    await page.goBack();
    await page.getByRole('link', { name: `Initech ${run}` }).waitFor();
  });
});
