// Over HTTP: the audit-log CSV export never hands a spreadsheet a formula, whatever a user-controlled
// value starts with, and its quoting keeps commas, quotes and line breaks inside their cell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, startTestApi, type TestApi, uniqueUser } from '../fixtures/api';
import { parseCsv } from '../fixtures/csv';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];

describe('audit-log CSV export', () => {
  it('neutralises cells starting with = + - @ TAB or CR, and round-trips commas and quotes', async () => {
    const { ws, token } = await createWorkspace(t, 'unlimited');
    const { putMember } = await import('../../shared/members/repository');
    // Token subjects come from the identity provider and land in the log's actorUserId column.
    const subjects = DANGEROUS.map((c) => `${c}HYPERLINK("http://evil.test/${uniqueUser('x')}","open")`);
    for (const [i, userId] of subjects.entries()) {
      await putMember(ws, {
        id: `mem_${uniqueUser('csv')}`,
        userId,
        email: `${uniqueUser('csv')}@example.test`,
        roleId: 'admin',
        inboxIds: [],
        teamIds: [],
        joinedAt: new Date().toISOString(),
      });
      const renamed = await t.call('PATCH', `/v1/workspaces/${ws}`, {
        token: await t.api.issuer.sign({ sub: userId, email: `csv-${i}@example.test` }),
        body: { name: `Acme, "Support" #${i}` },
      });
      expect(renamed.status, JSON.stringify(userId)).toBe(200);
    }

    const res = await t.call('GET', `/v1/workspaces/${ws}/audit-log/export?format=csv`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'id',
      'at',
      'action',
      'actorMemberId',
      'actorUserId',
      'source',
      'targetType',
      'targetId',
      'before',
      'after',
    ]);
    const updates = rows.filter((r) => r[2] === 'workspace.update');
    expect(updates).toHaveLength(DANGEROUS.length);
    // Newest first: the last rename is the first row. Each subject is there, behind a leading quote.
    expect(updates.map((r) => r[4])).toEqual(subjects.map((s) => `'${s}`).reverse());
    expect(updates.map((r) => JSON.parse(r[9] ?? '').name)).toEqual(
      subjects.map((_, i) => `Acme, "Support" #${i}`).reverse(),
    );
    for (const row of rows) {
      expect(row).toHaveLength(header!.length);
      for (const cell of row) expect(DANGEROUS.includes(cell[0] ?? ''), JSON.stringify(cell)).toBe(false);
    }
  });
});
