// REQUEST authorizer for the REST API. Verifies the token, resolves the caller's standing in the
// workspace of the path, and decides the route's requirement with the policy module.
// Fail closed: an error while deciding is thrown, which API Gateway answers 503 (AUTHORIZER_FAILURE) and
// never as an Allow. Deny carries the whole contract error body for the ACCESS_DENIED gateway response.
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Principal } from '../../shared/access';
import { loadAccess } from '../../shared/auth/access';
import { API_KEY_PREFIX, hashApiKey } from '../../shared/auth/api-keys';
import { authConfigFromEnv } from '../../shared/auth/config';
import { createTokenVerifier, type UserIdentity } from '../../shared/auth/tokens';
import { itemReader } from '../../shared/db/item-reader';
import type { AuthorizerContext } from '../../shared/http/caller';
import { decide, encodePermissions } from '../../shared/permissions/policy';
import { routeFor } from '../../shared/routes';

const logger = new Logger({ serviceName: 'authorizer' });
const verifyToken = createTokenVerifier(authConfigFromEnv());

const NOT_A_MEMBER = JSON.stringify({
  error: { code: 'forbidden', message: 'The workspace does not exist or you are not a member of it' },
});

type Context = AuthorizerContext & Record<string, string>;

function policy(
  effect: 'Allow' | 'Deny',
  methodArn: string,
  principalId: string,
  context: Record<string, string>,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    // Scoped to this exact method ARN (stage, verb, concrete path): a cached Allow cannot open another route.
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
    },
    context,
  };
}

function deny(event: APIGatewayRequestAuthorizerEvent, principalId: string, body: unknown) {
  return policy('Deny', event.methodArn, principalId, {
    errorBody: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Thrown as-is: API Gateway turns exactly `Unauthorized` into a 401. */
const unauthorized = () => new Error('Unauthorized');

function bearer(headers: Record<string, string | undefined> | null): string | undefined {
  if (!headers) return undefined;
  let value: string | undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === 'authorization') value = v;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return m?.[1];
}

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const route = routeFor(event.httpMethod, event.resource);
  const token = bearer(event.headers);
  if (!token) throw unauthorized();

  let principal: Principal;
  let identity: UserIdentity | undefined;
  if (token.startsWith(API_KEY_PREFIX)) {
    principal = { type: 'apiKey', keyHash: hashApiKey(token) };
  } else {
    try {
      identity = await verifyToken(token);
    } catch (err) {
      logger.info('token refused', { reason: (err as Error).message });
      throw unauthorized();
    }
    principal = { type: 'user', userId: identity.userId };
  }
  const principalId = principal.type === 'user' ? principal.userId : `apikey:${principal.keyHash.slice(0, 12)}`;

  if (!route) {
    return deny(event, principalId, { error: { code: 'not_found', message: 'No such route' } });
  }

  // SCIM routes have no authorizer (their handler checks the scim_ token); reaching here is a misconfiguration.
  if (route.access.kind === 'scim') {
    return deny(event, principalId, { error: { code: 'not_found', message: 'No such route' } });
  }

  if (route.access.kind === 'public' || route.access.kind === 'user') {
    if (principal.type !== 'user' || !identity) {
      // API keys act only inside their own workspace.
      return deny(event, principalId, {
        error: { code: 'forbidden', message: 'API keys can only call routes of their workspace' },
      });
    }
    const ctx: Context = {
      principalType: 'user',
      userId: identity.userId,
      email: identity.email ?? '',
      emailVerified: identity.emailVerified ? 'true' : 'false',
      // What the invitation rule requireIdentityProvider matches on accept.
      issuer: identity.issuer ?? '',
      idp: identity.idp ?? '',
      // A JSON array, not joined: a value may itself hold a space ("pwd okta" is one value, not two).
      amr: JSON.stringify(identity.amr ?? []),
    };
    return policy('Allow', event.methodArn, principalId, ctx);
  }

  const wsId = event.pathParameters?.ws;
  // Ids are ours (prefixed ULIDs): anything else names no workspace, and never reaches a key builder.
  if (!wsId || !/^[A-Za-z0-9_-]{1,64}$/.test(wsId)) return deny(event, principalId, NOT_A_MEMBER);
  let access: Awaited<ReturnType<typeof loadAccess>>;
  try {
    access = await loadAccess(itemReader, wsId, principal);
    // A signed-in user with no standing here may be a member an identity provider provisioned for its verified
    // email: its first request, whatever the route, binds it (within the workspace's sign-in rules), then decides.
    if (!access && identity?.emailVerified && identity.email) {
      // Loaded on this rare path only: binding writes through the SDK's DynamoDB client, which the authorizer's
      // reads (signed fetches) do not load, and a cold start should not pay for it.
      const { bindProvisionedMembers } = await import('../../shared/scim/bind');
      const outcome = await bindProvisionedMembers(
        {
          userId: identity.userId,
          email: identity.email,
          emailVerified: true,
          signIn: { issuer: identity.issuer ?? null, idp: identity.idp ?? null, amr: identity.amr ?? [] },
        },
        wsId,
      );
      if (outcome.refused.length > 0) logger.info('SCIM member not bound', { refused: outcome.refused });
      if (outcome.bound.length > 0) access = await loadAccess(itemReader, wsId, principal, true);
    }
  } catch (err) {
    // API Gateway answers it 503 and shows nothing: the cause (a data store fault, an item that does not
    // parse) is logged here, where it is known (the runtime's own log keeps only the top-level message).
    logger.error('deciding failed', { error: err as Error });
    throw err;
  }
  // A workspace the caller does not belong to answers exactly like one that does not exist.
  if (!access) {
    if (principal.type === 'apiKey') throw unauthorized();
    return deny(event, principalId, NOT_A_MEMBER);
  }
  const decision = decide(route.access, { permissions: access.permissions, features: access.plan.features });
  if (!decision.allowed) {
    const detail = decision.code === 'plan_limit' ? { feature: decision.feature } : { permission: decision.permission };
    return deny(event, principalId, { error: { code: decision.code, message: decision.reason, ...detail } });
  }
  const ctx: Context = {
    principalType: principal.type,
    userId: access.userId ?? '',
    email: access.email ?? '',
    emailVerified: identity?.emailVerified ? 'true' : 'false',
    keyHash: principal.type === 'apiKey' ? principal.keyHash : '',
    workspaceId: access.workspace.id,
    memberId: access.memberId,
    roleId: access.roleId,
    perms: encodePermissions(access.permissions),
    planId: access.plan.id,
    features: access.plan.features.join(','),
    companyAdmin: access.companyAdmin ? 'true' : 'false',
    // The person behind the credential (a member's key: that member), for the self-rules of reads' handlers.
    credential: access.actor.credential,
    actorUserId: access.actor.userId ?? '',
    actorMemberId: access.actor.memberId ?? '',
    // Small by design (the workspace item is bounded): handlers of reads decide on these, not a new read.
    workspace: JSON.stringify(access.workspace),
    plan: JSON.stringify(access.plan),
    // The nearest instant a time-bound grant in this decision ends: a cached Allow of a read is not used past
    // it (handlers re-decide on fresh data); writes always re-decide.
    ...(access.grants?.expiresAt ? { grantsEndAt: access.grants.expiresAt } : {}),
  };
  return policy('Allow', event.methodArn, principalId, ctx);
}
