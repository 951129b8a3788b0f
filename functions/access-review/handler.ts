import { accessReviewCsv, accessReviewPage } from '../../shared/access-review/review';
import { simulateMemberRole, simulateRoleEdit } from '../../shared/access-review/simulate';
import { accessReview } from '../../shared/api/areas/access-review';
import { areaHandler } from '../../shared/http/middleware';
import { ok, rawOk } from '../../shared/http/responses';

export const handler = areaHandler('access-review', accessReview, {
  simulateRoleEdit: async ({ access, params, body }) => ok(await simulateRoleEdit(await access(), params.roleId, body)),
  simulateMemberRole: async ({ access, params, body }) =>
    ok(await simulateMemberRole(await access(), params.memberId, body.roleId)),
  getAccessReview: async ({ access, query }) =>
    query.format === 'csv'
      ? rawOk(await accessReviewCsv(await access()))
      : ok(await accessReviewPage(await access(), { limit: query.limit, cursor: query.cursor })),
});
