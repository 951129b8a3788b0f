// SCIM 2.0 (PRODUCT.md §12, RFC 7644): its own wire format and errors, so not the contract's middleware. No
// authorizer in front (shared/routes.ts `scim` access): the token is checked here, so a missing or wrong token is
// a 401 in SCIM's error schema like every other error. Bodies: application/json or application/scim+json.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../../shared/logging';
import { routeFor } from '../../shared/routes';
import { scimAccess } from '../../shared/scim/access';
import { resourceTypes, schemas, serviceProviderConfig } from '../../shared/scim/discovery';
import { invalidValue, ScimError, toScimError } from '../../shared/scim/errors';
import * as groups from '../../shared/scim/groups';
import { parsePatch } from '../../shared/scim/patch';
import * as users from '../../shared/scim/users';
import { listParams, SCIM_CONTENT_TYPE } from '../../shared/scim/wire';

/** A 1,000-member group PATCH is about 60 KB; API Gateway's own ceiling is 10 MB. */
export const MAX_SCIM_BODY_BYTES = 1024 * 1024;

const header = (event: APIGatewayProxyEvent, name: string): string | undefined => {
  let value: string | undefined;
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) value = v ?? undefined;
  return value;
};

function bodyOf(event: APIGatewayProxyEvent): unknown {
  const raw = event.body;
  if (raw === null || raw === undefined || raw === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_SCIM_BODY_BYTES) throw new ScimError(413, 'The request body is too large');
  const type = (header(event, 'content-type') ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/scim+json') {
    throw new ScimError(415, 'Send application/scim+json or application/json');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, 'The body is not valid JSON', 'invalidSyntax');
  }
}

/** The SCIM base URL of the workspace, for meta.location (the stage's path prefix kept when deployed). */
function baseOf(event: APIGatewayProxyEvent, wsId: string): string {
  const host = header(event, 'host') ?? 'localhost';
  const proto =
    header(event, 'x-forwarded-proto') ??
    (host.startsWith('127.0.0.1') || host.startsWith('localhost') ? 'http' : 'https');
  const ctx = event.requestContext as { stage?: string; domainName?: string } | undefined;
  const stage = ctx?.stage && ctx.stage !== 'local' && ctx.domainName?.includes('.execute-api.') ? `/${ctx.stage}` : '';
  return `${proto}://${host}${stage}/v1/workspaces/${wsId}/scim/v2`;
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': SCIM_CONTENT_TYPE, ...headers },
  body: body === null ? '' : JSON.stringify(body),
});

const withEtag = (statusCode: number, resource: { meta: { version: string } }) =>
  json(statusCode, resource, { ETag: resource.meta.version });

async function serve(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const route = routeFor(event.httpMethod, event.resource);
  const wsId = event.pathParameters?.ws;
  if (!route || route.fn !== 'scim' || !wsId) throw new ScimError(404, 'No such route');
  // Authentication first: nothing about the workspace is told to a caller without its token.
  const access = await scimAccess(event.headers, wsId);
  const base = baseOf(event, wsId);
  const body = bodyOf(event);
  const query = listParams(event.queryStringParameters);
  const ifMatch = header(event, 'if-match');
  const p = event.pathParameters ?? {};
  const id = (name: string) => {
    const v = p[name];
    if (!v || v.length > 64) throw new ScimError(404, 'Not found');
    return v;
  };
  const needBody = () => {
    if (body === undefined) throw invalidValue('A JSON body is required');
    return body;
  };
  switch (route.id) {
    case 'scimServiceProviderConfig':
      return json(200, serviceProviderConfig(base));
    case 'scimResourceTypes':
      return json(200, resourceTypes(base));
    case 'scimSchemas':
      return json(200, schemas(base));
    case 'scimListUsers':
      return json(200, await users.listUsers(access, base, query));
    case 'scimCreateUser':
      return withEtag(201, await users.createUser(access, base, needBody()));
    case 'scimGetUser':
      return withEtag(200, await users.getUser(access, base, id('userId')));
    case 'scimReplaceUser':
      return withEtag(200, await users.replaceUser(access, base, id('userId'), needBody(), ifMatch));
    case 'scimPatchUser':
      return withEtag(200, await users.patchUser(access, base, id('userId'), parsePatch(needBody()), ifMatch));
    case 'scimDeleteUser':
      await users.deleteUser(access, id('userId'));
      return json(204, null);
    case 'scimListGroups':
      return json(200, await groups.listGroups(access, base, query));
    case 'scimCreateGroup':
      return withEtag(201, await groups.createGroup(access, base, needBody()));
    case 'scimGetGroup':
      return withEtag(200, await groups.getGroup(access, base, id('groupId'), query.excludeMembers));
    case 'scimReplaceGroup':
      return withEtag(200, await groups.replaceGroup(access, base, id('groupId'), needBody(), ifMatch));
    case 'scimPatchGroup':
      return withEtag(
        200,
        await groups.patchGroup(access, base, id('groupId'), parsePatch(needBody()), ifMatch, query.excludeMembers),
      );
    case 'scimDeleteGroup':
      await groups.deleteGroup(access, id('groupId'));
      return json(204, null);
    default:
      throw new ScimError(404, 'No such route');
  }
}

async function base(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    return await serve(event);
  } catch (err) {
    const mapped = toScimError(err);
    if (mapped.status >= 500) logger.error('SCIM request failed', { error: err as Error });
    return json(mapped.status, mapped.body, mapped.headers);
  }
}

export const handler = middy(base).use(injectLambdaContext(logger));
