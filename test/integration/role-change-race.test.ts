// Concurrent role changes of one member (PATCH .../members/{id} {roleId, until?}), over HTTP against DynamoDB Local.
// Each round sends two or three changes at once and holds their transactions until every one of them has read the
// member, so they all decide on the same state and then race to commit. After each round, read straight from the
// table: every custom role's holder counter (`memberCount`) equals the members holding it (a member's role, and
// the role a stored term goes back to: README, time-bound grants), the membership pointer the authorizer reads
// says what the member item says, the member's GSI1 key names its role, and the member ends as one of the changes
// that answered 200 left it. A wrong counter is what a user meets later: a role that cannot be deleted though
// nobody holds it, or one deleted under a member whose term goes back to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, QueryCommand, tableName } from '../../shared/db/client';
import { membershipKey } from '../../shared/table/members/keys';
import { addMember, createWorkspace, type Reply, startTestApi, type TestApi } from '../fixtures/api';
import { holdTransactions } from '../fixtures/dynamo-hold';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

const ROUNDS = 20;

/** A small deterministic generator (mulberry32): the same rounds on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Term {
  roleId: string;
  roleUntil?: string;
  previousRoleId?: string;
}
interface Body {
  roleId: string;
  until?: string;
}

/** Whether the service writes this change on this state (else it answers 400, or 200 changing nothing). */
function writes(state: Term, body: Body): boolean {
  if (body.until !== undefined && (state.previousRoleId ?? state.roleId) === body.roleId) return false;
  return !(state.roleId === body.roleId && state.roleUntil === body.until);
}

async function partition(ws: string) {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `WS#${ws}` },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function pointer(userId: string, ws: string) {
  const page = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND SK = :sk',
      ExpressionAttributeValues: { ':pk': membershipKey(userId, ws).PK, ':sk': membershipKey(userId, ws).SK },
      ConsistentRead: true,
    }),
  );
  return page.Items?.[0] as Record<string, any> | undefined;
}

const termOf = (item: Record<string, any>): Term => ({
  roleId: item.roleId,
  ...(item.roleUntil === undefined ? {} : { roleUntil: item.roleUntil, previousRoleId: item.previousRoleId }),
});

describe('concurrent role changes of one member', () => {
  it(`${ROUNDS} rounds of parallel PATCHes from the same state keep every holder counter equal to its holders`, async () => {
    const w = await createWorkspace(t, 'unlimited', 'Role change race');
    const base = `/v1/workspaces/${w.ws}`;
    const roles: string[] = [];
    for (const name of ['Early', 'Late', 'Weekend']) {
      const res = await t.call('POST', `${base}/roles`, { token: w.token, body: { name, cloneFrom: 'agent' } });
      expect(res.status, res.text).toBe(201);
      roles.push(res.body.id);
    }
    const [first] = roles as [string];
    const member = await addMember(t, w.ws, first);
    const targets = [...roles, 'agent'];
    const hour = 3_600_000;
    const untils = [new Date(Date.now() + hour).toISOString(), new Date(Date.now() + 2 * hour).toISOString()];
    const bodies: Body[] = targets.flatMap((roleId) => [{ roleId }, ...untils.map((until) => ({ roleId, until }))]);
    const random = rng(7);
    let state: Term = { roleId: first };

    for (let round = 1; round <= ROUNDS; round++) {
      const candidates = bodies.filter((b) => writes(state, b));
      const picked: Body[] = [];
      const k = 2 + Math.floor(random() * 2);
      // Every other round, two changes to the same role (one for a period, one for good, or two periods): the
      // shape where `roleId = from` alone does not tell them apart.
      if (round % 2 === 0) {
        const same = targets[Math.floor(random() * targets.length)] as string;
        picked.push(...candidates.filter((b) => b.roleId === same));
      }
      while (picked.length < k && picked.length < candidates.length) {
        const b = candidates[Math.floor(random() * candidates.length)] as Body;
        if (!picked.includes(b)) picked.push(b);
      }

      const hold = holdTransactions((input) => input.includes(member.memberId));
      let answers: Reply[];
      try {
        const calls = picked.map((body) =>
          t.call('PATCH', `${base}/members/${member.memberId}`, { token: w.token, body }),
        );
        // Every change has read the member and is about to commit (or, unexpectedly, answered without writing).
        let settled = 0;
        await new Promise<void>((resolve) => {
          const check = () => {
            if (hold.seen.filter((s) => s.held).length + settled >= picked.length) resolve();
          };
          for (let n = 1; n <= picked.length; n++) void hold.arrived(n).then(check);
          for (const c of calls)
            void c.then(
              () => {
                settled += 1;
                check();
              },
              () => {
                settled += 1;
                check();
              },
            );
        });
        hold.release();
        answers = await Promise.all(calls);
      } finally {
        hold.remove();
      }

      for (const a of answers) {
        // 400: on the state another change left, the member already goes back to that role; 409: lost every try.
        expect([200, 400, 409], a.text).toContain(a.status);
      }

      const items = await partition(w.ws);
      const memberItem = items.find((i) => i.SK === `MEMBER#${member.memberId}`);
      expect(memberItem).toBeDefined();
      if (!memberItem) return;
      state = termOf(memberItem);
      const context = `round ${round}: ${JSON.stringify(picked)} → ${answers.map((a) => a.status).join(',')}; member ${JSON.stringify(state)}`;

      // What the member holds now is what one of the answered changes left.
      const left = answers.filter((a) => a.status === 200).map((a) => termOf(a.body));
      expect(left, context).toContainEqual(state);
      expect(memberItem.GSI1PK, context).toBe(`WS#${w.ws}#ROLE#${state.roleId}`);
      expect(termOf((await pointer(member.userId, w.ws)) ?? {}), context).toEqual(state);

      const members = items.filter((i) => typeof i.SK === 'string' && i.SK.startsWith('MEMBER#'));
      for (const role of items.filter((i) => typeof i.SK === 'string' && i.SK.startsWith('ROLE#'))) {
        const id = role.SK.slice('ROLE#'.length);
        const holders = members.filter(
          (m) => m.roleId === id || (m.roleUntil !== undefined && m.previousRoleId === id),
        ).length;
        expect(role.memberCount ?? 0, `${context}; role ${id}`).toBe(holders);
      }
    }
  }, 120_000);

  it('a role change decided before a deactivation and committing after it is refused (409), not applied', async () => {
    const w = await createWorkspace(t, 'unlimited', 'Role change vs deactivation');
    const base = `/v1/workspaces/${w.ws}`;
    const member = await addMember(t, w.ws, 'agent');
    const hold = holdTransactions((input) => input.includes(member.memberId) && input.includes('member.role.change'));
    try {
      const changing = t.call('PATCH', `${base}/members/${member.memberId}`, {
        token: w.token,
        body: { roleId: 'manager' },
      });
      await Promise.race([
        hold.arrived(),
        changing.then((r) => {
          throw new Error(`The change answered before writing: ${r.status} ${r.text}`);
        }),
      ]);
      const off = await t.call('POST', `${base}/members/${member.memberId}/deactivate`, { token: w.token });
      expect(off.status, off.text).toBe(200);
      hold.release();
      const res = await changing;
      expect(res.status, res.text).toBe(409);
      expect(res.body.error.message).toMatch(/deactivated/);
    } finally {
      hold.remove();
    }
    const got = await t.call('GET', `${base}/members/${member.memberId}`, { token: w.token });
    expect(got.body).toMatchObject({ roleId: 'agent', status: 'deactivated' });
  });
});
