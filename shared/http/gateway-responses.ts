// API Gateway's own answers (authorizer Deny/Unauthorized, unknown route, throttling, too large) in the
// contract's error body. CDK installs them as gateway responses; the local gateway renders the same
// templates, so both speak alike.

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'AUTHORIZER_FAILURE'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'RESOURCE_NOT_FOUND'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponseDef {
  statusCode: number;
  /** A mapping template: `$context.authorizer.X` is replaced by the authorizer's context value. */
  template: string;
  headers?: Record<string, string>;
}

const body = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const unavailable: GatewayResponseDef = {
  statusCode: 503,
  template: body('unavailable', 'The service is temporarily unavailable'),
  headers: { 'Retry-After': '1' },
};

export const GATEWAY_RESPONSES: Record<GatewayResponseType, GatewayResponseDef> = {
  UNAUTHORIZED: { statusCode: 401, template: body('unauthenticated', 'Missing or invalid credentials') },
  // The authorizer puts the whole error body (forbidden / plan_limit, with the reason) in its Deny context.
  ACCESS_DENIED: { statusCode: 403, template: '$context.authorizer.errorBody' },
  AUTHORIZER_FAILURE: unavailable,
  AUTHORIZER_CONFIGURATION_ERROR: unavailable,
  // API Gateway answers an unknown path or method with this type (403 by default): it is a 404 here.
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 404, template: body('not_found', 'No such route') },
  RESOURCE_NOT_FOUND: { statusCode: 404, template: body('not_found', 'No such route') },
  REQUEST_TOO_LARGE: { statusCode: 413, template: body('payload_too_large', 'The request body is too large') },
  THROTTLED: { statusCode: 429, template: body('throttled', 'Too many requests') },
  DEFAULT_4XX: { statusCode: 400, template: body('invalid_request', 'The request is not valid') },
  DEFAULT_5XX: unavailable,
};

export function renderGatewayResponse(
  type: GatewayResponseType,
  authorizerContext: Record<string, unknown> = {},
): { statusCode: number; body: string; headers: Record<string, string> } {
  const def = GATEWAY_RESPONSES[type];
  const rendered = def.template.replace(/\$context\.authorizer\.(\w+)/g, (_m, key: string) =>
    String(authorizerContext[key] ?? ''),
  );
  return {
    statusCode: def.statusCode,
    body: rendered,
    headers: { 'Content-Type': 'application/json', ...def.headers },
  };
}
