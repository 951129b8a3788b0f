// The console's sign-in, workspaces and Members page in Chromium (CONSOLE.md): role + accessible-name
// locators, axe-core on each page, keyboard-only invite and change of role, 375 px wide. Prints the
// figures (first-load JS gzipped, time until 50 members show, API calls per page load).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../scripts/console-build';
import {
  addTeammate,
  apiCall,
  arrowSelect,
  expectAccessible,
  type OwnerConsole,
  ownerConsole,
  poll,
  screenshot,
  signIn,
  tabTo,
} from '../fixtures/browser';

const run = Date.now().toString(36);
const owner = `owner.${run}@acme.test`;
const agent = `alex.agent.${run}@acme.test`;
let env: OwnerConsole;
let ws: string;
let ownerToken: string;
let supportId: string;

beforeAll(async () => {
  // Not signed in: the first test signs in through the page.
  env = await ownerConsole({ owner, workspace: `Acme Support ${run}`, signIn: false });
  ({ ws, ownerToken } = env);
  supportId = (await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/inboxes`, { name: 'Support' })).id;
  // 49 teammates besides the owner: the Members page must show 50 rows.
  const joinedAt = new Date().toISOString();
  const first = ['sam', 'kim', 'lee', 'ana', 'raj', 'mia', 'tom'];
  for (let i = 0; i < 49; i++) {
    const email = i === 0 ? agent : `${first[i % first.length]}.${String(i).padStart(2, '0')}.${run}@acme.test`;
    const roleId = i === 0 ? 'agent' : i % 5 === 0 ? 'manager' : 'member';
    await addTeammate(ws, { id: `mem_${run}_${i}`, email, roleId }, joinedAt);
  }
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

const figures: Record<string, string> = {};
afterAll(() => {
  process.stdout.write(
    `\n[console figures] ${Object.entries(figures)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ')}\n`,
  );
});

describe('console: sign-in, workspaces, Members', () => {
  it('signs in with an email and lists that user’s workspaces as links named by the workspace', async () => {
    const { page } = env;
    await page.goto(env.url);
    await poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await signIn(page, env.url, owner);
    const link = page.getByRole('link', { name: `Acme Support ${run}` });
    await link.waitFor();
    await expectAccessible(page, 'workspaces');
    await screenshot(page, 'workspaces');

    // Figure: JavaScript the first load fetches, gzipped (index.html's module script and its imports).
    const html = readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const gz = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(CONSOLE_DIST, s))).length, 0);
    figures['first-load JS gzipped'] = `${(gz / 1024).toFixed(1)} KB`;
    expect(scripts.length).toBeGreaterThan(0);

    // Figure: from the click on the workspace link to the 50 member rows.
    env.requests.length = 0;
    const t0 = Date.now();
    await link.click();
    await poll(() => page.getByRole('table').getByRole('row').count()).toBe(51);
    figures['Members with 50 members shown'] = `${Date.now() - t0} ms`;
    await page.waitForLoadState('networkidle');
    figures['API calls for Members'] = `${env.requests.length} (${env.requests.join(', ')})`;
    expect(page.url()).toBe(`${env.url}w/${ws}/members`);
    // Each API call answers something the page shows: /me, the workspace, members, invitations, roles.
    expect(env.requests.length).toBeLessThanOrEqual(5);
  });

  it('Members: one h1, nav "Workspace" with the pages /me allows, the table columns, rows per member', async () => {
    const { page } = env;
    const t0 = Date.now();
    await page.reload();
    await poll(() => page.getByRole('table').getByRole('row').count()).toBe(51);
    figures['Members with 50 members shown, reload'] = `${Date.now() - t0} ms`;
    await poll(() => page.getByRole('heading', { level: 1 }).allTextContents()).toEqual(['Members']);
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    for (const name of [
      'Members',
      'Roles',
      'Teams',
      'Inboxes',
      'Billing',
      'Audit log',
      'Access requests',
      'API keys',
      'Settings',
    ]) {
      expect(await nav.getByRole('link', { name, exact: true }).count(), name).toBe(1);
    }
    const headers = await page.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Name', 'Email', 'Role', 'Status']));
    const row = page.getByRole('row').filter({ hasText: agent });
    expect(await row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining([agent, 'Agent', 'Active']));
    await expectAccessible(page, 'members');
    await screenshot(page, 'members');
  });

  it('keyboard only: Invite teammate opens its dialog, sends, the invitation shows as Pending, focus returns', async () => {
    const { page } = env;
    const invite = page.getByRole('button', { name: 'Invite teammate' });
    await page.locator('body').focus();
    await tabTo(page, invite);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Invite teammate' });
    await dialog.waitFor();
    const email = dialog.getByRole('textbox', { name: 'Email' });
    expect(await email.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type(`new.hire.${run}@acme.test`);
    const role = dialog.getByRole('combobox', { name: 'Role' });
    await tabTo(page, role);
    await arrowSelect(page, role, 'manager');
    // Inboxes: a group of checkboxes named by its legend (the shared CheckList), chosen with Space.
    const support = dialog.getByRole('group', { name: 'Inboxes' }).getByRole('checkbox', { name: 'Support' });
    await support.waitFor();
    await tabTo(page, support);
    await page.keyboard.press('Space');
    expect(await support.isChecked()).toBe(true);
    await expectAccessible(page, 'invite dialog');
    await screenshot(page, 'invite-teammate');
    await tabTo(page, dialog.getByRole('button', { name: 'Send invitation' }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: `new.hire.${run}@acme.test` });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['Manager', 'Pending']));
    expect(await invite.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const sent = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/invitations`);
    expect(sent.items.find((i: { email: string }) => i.email === `new.hire.${run}@acme.test`)?.inboxIds).toEqual([
      supportId,
    ]);
  });

  it('keyboard only: Change role shows the effect from the simulate route before Save, then saves', async () => {
    const { page } = env;
    const actions = page.getByRole('button', { name: `Actions for ${agent}` });
    await tabTo(page, actions, 200);
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: `Actions for ${agent}` });
    for (const name of ['Change role', 'Deactivate', 'Remove', 'Grant temporary access', 'Why can’t they…?']) {
      expect(await menu.getByRole('menuitem', { name }).count(), name).toBe(1);
    }
    // Focus moves into the menu once it has rendered: wait for it rather than read it in the same tick.
    await poll(() =>
      menu.getByRole('menuitem', { name: 'Change role' }).evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Change role for ${agent}` });
    await dialog.waitFor();
    const role = dialog.getByRole('combobox', { name: 'Role' });
    await tabTo(page, role);
    await arrowSelect(page, role, 'admin');
    const effect = dialog.getByRole('region', { name: 'Effect of this change' });
    await poll(() => effect.textContent()).toMatch(/Gains/);
    // Nothing is saved yet: the API still has the agent's old role.
    const before = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/members/mem_${run}_0`);
    expect(before.roleId).toBe('agent');
    await expectAccessible(page, 'change role dialog');
    await screenshot(page, 'change-role');
    await tabTo(page, dialog.getByRole('button', { name: 'Save' }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: agent });
    await poll(() => row.getByRole('cell').nth(2).textContent()).toBe('Admin');
    expect(await actions.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const after = await apiCall(env.api, ownerToken, 'GET', `/v1/workspaces/${ws}/members/mem_${run}_0`);
    expect(after.roleId).toBe('admin');
  });

  it('deactivates and reactivates from the Actions menu; resends and revokes an invitation', async () => {
    const { page } = env;
    const email = `sam.07.${run}@acme.test`;
    const row = page.getByRole('row').filter({ hasText: email });
    await page.getByRole('button', { name: `Actions for ${email}` }).click();
    await page.getByRole('menuitem', { name: 'Deactivate' }).click();
    await poll(() => row.getByRole('cell').nth(3).textContent()).toBe('Deactivated');
    await page.getByRole('button', { name: `Actions for ${email}` }).click();
    await page.getByRole('menuitem', { name: 'Reactivate' }).click();
    await poll(() => row.getByRole('cell').nth(3).textContent()).toBe('Active');

    const invited = `new.hire.${run}@acme.test`;
    await page.getByRole('button', { name: `Resend invitation to ${invited}` }).click();
    await poll(() => page.getByRole('status').textContent()).toContain(`sent again to ${invited}`);
    await page.getByRole('button', { name: `Revoke invitation to ${invited}` }).click();
    await poll(() => page.getByRole('row').filter({ hasText: invited }).count()).toBe(0);
  });

  it('shows the API’s refusal in role=alert (inviting someone who is already a member)', async () => {
    const { page } = env;
    await page.getByRole('button', { name: 'Invite teammate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite teammate' });
    await dialog.getByRole('textbox', { name: 'Email' }).fill(agent);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe('This email already belongs to a member of the workspace');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('usable 375 px wide: nothing overflows the page, the nav and the actions are reachable', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await poll(() => page.getByRole('table').getByRole('row').count()).toBe(51);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(
      await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Roles' }).isVisible(),
    ).toBe(true);
    await page.getByRole('button', { name: 'Invite teammate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite teammate' });
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
    await expectAccessible(page, 'members at 375 px');
    await screenshot(page, 'members-375px');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('Grant temporary access, Why can’t they…? and Remove from the Actions menu', async () => {
    const { page } = env;
    const email = `kim.01.${run}@acme.test`;
    await page.getByRole('button', { name: `Actions for ${email}` }).click();
    await page.getByRole('menuitem', { name: 'Why can’t they…?' }).click();
    const why = page.getByRole('dialog', { name: `Why can’t ${email}…?` });
    await why.getByRole('combobox', { name: 'Permission' }).selectOption('billing.manage');
    await why.getByRole('button', { name: 'Check' }).click();
    await poll(() => why.getByRole('region', { name: 'Answer' }).textContent()).toMatch(/^Not allowed\. \S/);
    await expectAccessible(page, 'why dialog');
    await why.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: `Actions for ${email}` }).click();
    await page.getByRole('menuitem', { name: 'Grant temporary access' }).click();
    const grant = page.getByRole('dialog', { name: `Grant temporary access to ${email}` });
    await grant.getByRole('combobox', { name: 'Permission' }).selectOption('billing.manage');
    await grant.getByRole('textbox', { name: 'Reason' }).fill('Quarter-end invoices');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await grant.waitFor({ state: 'detached' });
    const decision = await apiCall(env.api, ownerToken, 'POST', `/v1/workspaces/${ws}/authz/check`, {
      action: 'billing.manage',
      memberId: `mem_${run}_1`,
    });
    expect(decision.allowed).toBe(true);

    await page.getByRole('button', { name: `Actions for ${email}` }).click();
    await page.getByRole('menuitem', { name: 'Remove' }).click();
    await page
      .getByRole('dialog', { name: `Remove ${email}?` })
      .getByRole('button', { name: 'Remove' })
      .click();
    await poll(() => page.getByRole('row').filter({ hasText: email }).count()).toBe(0);
  });

  it('an Agent sees no link or control the API would refuse them (from /me)', async () => {
    const { page } = env;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, env.url, `sam.07.${run}@acme.test`);
    await page.getByRole('link', { name: `Acme Support ${run}` }).click();
    await poll(() => page.getByRole('table').getByRole('row').count()).toBe(50);
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    const links = await nav.getByRole('link').allTextContents();
    expect(links).toEqual(['Members', 'Roles', 'Teams', 'Inboxes', 'Access requests']);
    expect(await page.getByRole('button', { name: /^Actions for / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Invite teammate' }).count()).toBe(0);
  });
});
