// The console's Settings (invitation rules with requireIdentityProvider, the SCIM group → role mapping) and
// the role editor's Start from, in Chromium: role + accessible-name locators, axe-core, keyboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  arrowSelect,
  expectAccessible,
  type OwnerConsole,
  ownerConsole,
  poll,
  tabTo,
} from '../fixtures/browser';

const run = Date.now().toString(36);
const owner = `sam.owner.${run}@umbrella.test`;
let env: OwnerConsole;
let ws: string;
let ownerToken: string;
let base: string;

beforeAll(async () => {
  env = await ownerConsole({ owner, workspace: `Umbrella ${run}` });
  ({ ws, ownerToken, base } = env);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

const settings = async () => (await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}`)).settings;

describe('console: Settings', () => {
  it('Required identity providers is saved with the invitation rules, and shown again on reload', async () => {
    const { page } = env;
    await page.goto(`${base}/settings`);
    const field = page.getByRole('textbox', { name: 'Required identity providers' });
    await field.fill('https://login.umbrella.test, okta');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Settings saved.');
    expect((await settings()).requireIdentityProvider).toEqual(['https://login.umbrella.test', 'okta']);
    await page.reload();
    await poll(() => page.getByRole('textbox', { name: 'Required identity providers' }).inputValue()).toBe(
      'https://login.umbrella.test, okta',
    );
  });

  it('the SCIM group → role mapping is edited with the keyboard and saved', async () => {
    const { page } = env;
    const scim = page.getByRole('region', { name: 'Provisioning (SCIM)' });
    const add = scim.getByRole('button', { name: 'Add group' });
    await add.waitFor();
    await tabTo(page, add);
    await page.keyboard.press('Enter');
    await scim.getByRole('textbox', { name: 'Group 1' }).focus();
    await page.keyboard.type('Support agents');
    await page.keyboard.press('Tab');
    await arrowSelect(page, scim.getByRole('combobox', { name: 'Role for group 1' }), 'agent');
    await scim.getByRole('button', { name: 'Add group' }).click();
    await scim.getByRole('textbox', { name: 'Group 2' }).fill('Leads');
    await scim.getByRole('combobox', { name: 'Role for group 2' }).selectOption('manager');
    await scim.getByRole('combobox', { name: 'Default role' }).selectOption('member');
    await scim.getByRole('combobox', { name: 'Roles come from' }).selectOption('idp');
    await expectAccessible(page, 'settings with SCIM role mapping');
    await tabTo(page, scim.getByRole('button', { name: 'Save role mapping' }));
    await page.keyboard.press('Enter');
    await poll(() => scim.getByRole('status').textContent()).toContain('Role mapping saved.');
    expect((await settings()).scim).toEqual({
      rolesFrom: 'idp',
      defaultRoleId: 'member',
      groupRoles: [
        { group: 'Support agents', roleId: 'agent' },
        { group: 'Leads', roleId: 'manager' },
      ],
    });

    // Removing a mapping and saving drops it.
    await scim.getByRole('button', { name: 'Remove group 1' }).click();
    await scim.getByRole('button', { name: 'Save role mapping' }).click();
    await poll(async () => (await settings()).scim.groupRoles).toEqual([{ group: 'Leads', roleId: 'manager' }]);
  });
});

describe('console: role editor', () => {
  it('Start from offers the built-in roles, then templates, each filling the permission editor', async () => {
    const { page } = env;
    await page.goto(`${base}/roles/new`);
    const start = page.getByRole('combobox', { name: 'Start from' });
    await poll(() => start.locator('optgroup[label="Built-in roles"] option').allTextContents()).toEqual([
      'Owner',
      'Admin',
      'Manager',
      'Agent',
      'Member',
    ]);
    expect(await start.locator('optgroup[label="Templates"] option').count()).toBeGreaterThan(0);
    await start.selectOption('manager');
    const manager = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/roles/manager`);
    const catalog = await apiCall(env.api, ownerToken, 'GET', '/v1/permissions');
    // A permission the Manager holds (plain, not flagged sensitive, so its select is named by its label alone).
    const held = catalog.sections
      .flatMap((s: any) => s.permissions)
      .find((p: any) => !p.scoped && !p.dangerous && manager.permissions[p.key] === true);
    await poll(() => page.getByRole('combobox', { name: held.label, exact: true }).inputValue()).toBe('allowed');
    await start.selectOption('');
    await poll(() => page.getByRole('combobox', { name: held.label, exact: true }).inputValue()).toBe('');
    await expectAccessible(page, 'role editor start from');
  });
});
