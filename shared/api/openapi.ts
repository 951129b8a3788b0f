// The OpenAPI 3.1 document, generated from the route table and the zod contract.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import { routes } from '../routes';
import { ScimErrorResponse } from '../scim/schema';
import { contract, ErrorResponse, type OperationContract } from './contract';

const ERRORS: Record<number, string> = {
  400: 'Invalid request',
  401: 'Missing or invalid credentials',
  403: 'Forbidden, or the plan lacks the feature or limit (code plan_limit)',
  404: 'Not found (also for resources of other workspaces)',
  409: 'Conflict',
  413: 'Payload too large',
  429: 'Throttled',
  500: 'Internal error: a bug on our side (never the answer to anything a client sends); no details',
  503: 'Unavailable (Retry-After)',
};

/** SCIM routes answer in SCIM's error schema (RFC 7644 §3.12), 401 included. */
const SCIM_ERRORS: Record<number, string> = {
  400: 'invalidFilter, invalidValue, invalidSyntax, invalidPath, tooMany',
  401: 'Missing or invalid SCIM token',
  403: 'The plan lacks the scim feature, or the role is above the token ceiling',
  404: 'Not found',
  409: 'uniqueness (userName, group displayName), or no seat left (tooMany)',
  412: 'If-Match names a version that is no longer current',
  413: 'Payload too large',
  415: 'Not application/scim+json or application/json',
  500: 'Internal error: a bug on our side; no details',
  503: 'Unavailable (Retry-After)',
};

let cached: unknown;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A user JWT from the configured issuer, or an API key (ak_…)',
  });
  for (const r of routes) {
    const spec = contract[r.id] as OperationContract;
    const access = r.access;
    const needs =
      access.kind === 'public'
        ? 'Public.'
        : access.kind === 'scim'
          ? 'SCIM 2.0: Authorization: Bearer scim_… (a SCIM token of the workspace); answers in SCIM (application/scim+json, SCIM errors).'
          : access.kind === 'user'
            ? 'Any signed-in user.'
            : `Members of the workspace${'permission' in access && access.permission ? ` with \`${access.permission}\`` : ''}${'feature' in access && access.feature ? `; plan feature \`${access.feature}\`` : ''}.`;
    const isScim = access.kind === 'scim';
    const media = 'application/scim+json';
    registry.registerPath({
      method: r.method.toLowerCase() as 'get',
      path: r.path,
      operationId: r.id,
      summary: r.summary,
      description: needs,
      // Public operations say so explicitly: no credentials.
      security: access.kind === 'public' ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
        ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
        ...(spec.body
          ? {
              body: {
                content: isScim
                  ? { 'application/scim+json': { schema: spec.body }, 'application/json': { schema: spec.body } }
                  : { 'application/json': { schema: spec.body } },
              },
            }
          : {}),
      },
      responses: isScim
        ? {
            [spec.status]: { description: 'Success', content: { [media]: { schema: spec.response } } },
            ...Object.fromEntries(
              Object.entries(SCIM_ERRORS).map(([status, description]) => [
                status,
                { description, content: { [media]: { schema: ScimErrorResponse } } },
              ]),
            ),
          }
        : {
            [spec.status]: { description: 'Success', content: { 'application/json': { schema: spec.response } } },
            ...Object.fromEntries(
              Object.entries(spec.alsoSuccess ?? {}).map(([status, description]) => [
                status,
                { description, content: { 'application/json': { schema: spec.response } } },
              ]),
            ),
            ...Object.fromEntries(
              Object.entries({ ...ERRORS, ...spec.errors }).map(([status, description]) => [
                status,
                { description, content: { 'application/json': { schema: ErrorResponse } } },
              ]),
            ),
          },
    });
  }
  const generated = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Inbox access control API',
      version: '1.0.0',
      description: 'Who may do what, where, on which plan: workspaces, teammates, roles, inboxes, invitations, seats.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: 'The deployed REST API (stage from the `stage` context key)',
        variables: {
          apiId: { default: 'api-id', description: 'The REST API id CDK prints' },
          region: { default: 'eu-west-1' },
          stage: { default: 'prod' },
        },
      },
      { url: 'http://127.0.0.1:3000', description: 'npm start (local)' },
    ],
  });
  cached = withPlainPatterns(generated);
  return cached;
}

/**
 * zod-to-openapi writes a regex's `toString()` minus its slashes, so a pattern with flags comes out as
 * `source/u`, which no client can use (every name was refused by validating clients). JSON Schema patterns
 * are ECMA-262 with Unicode semantics already: drop the flags.
 */
function withPlainPatterns<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withPlainPatterns) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'pattern' && typeof v === 'string' ? v.replace(/\/[dgimsuyv]+$/, '') : withPlainPatterns(v);
  }
  return out as T;
}
