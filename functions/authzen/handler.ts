import { authzen } from '../../shared/api/areas/authzen';
import { evaluation, evaluations } from '../../shared/authzen/evaluate';
import { pdpMetadata } from '../../shared/authzen/metadata';
import { searchActions, searchResources, searchSubjects } from '../../shared/authzen/search';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export const handler = areaHandler('authzen', authzen, {
  authzenEvaluation: async ({ access, body }) => ok(await evaluation(await access(), body)),
  authzenEvaluations: async ({ access, body }) => ok(await evaluations(await access(), body)),
  authzenSearchSubject: async ({ access, body }) => ok(await searchSubjects(await access(), body)),
  authzenSearchResource: async ({ access, body }) => ok(await searchResources(await access(), body)),
  authzenSearchAction: async ({ access, body }) => ok(await searchActions(await access(), body)),
  authzenConfiguration: async ({ params, event }) => {
    // Behind API Gateway the PDP lives at https://<domain>/<stage>; locally at the host the client called.
    const ctx = event.requestContext;
    const host = event.headers?.host ?? '127.0.0.1';
    const origin = ctx?.domainName
      ? `https://${ctx.domainName}${ctx.path?.endsWith(event.path) ? ctx.path.slice(0, ctx.path.length - event.path.length) : ''}`
      : `${event.headers?.['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${host}`;
    return ok(pdpMetadata(origin, params.ws));
  },
});
