// The local API Gateway: turns HTTP requests into the same REST API events API Gateway sends, calls the
// real authorizer (with the same identity-source cache key and TTL) and the real Lambda handlers, and
// renders the same gateway responses. Local-only routes (/dev/*) are added by the caller.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { type GatewayResponseType, renderGatewayResponse } from '../../shared/http/gateway-responses';
import { type RouteDef, routes, usesAuthorizer } from '../../shared/routes';
import { matchRoute } from './route-match';

/** API Gateway's payload ceiling; the handlers' own (smaller) limit answers 413 before this. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorizer = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

export interface LocalRoute {
  method: string;
  path: string;
  handle(req: { body: string; query: URLSearchParams }): Promise<{ statusCode: number; body: unknown }>;
}

export interface GatewayOptions {
  /** Seconds an authorizer answer is reused for the same token, method, resource and path; 0 disables. */
  authorizerCacheTtlSeconds: number;
  /** `false` serves every route without the authorizer (bench baseline only, never npm start)… */
  withAuthorizer?: boolean;
  /** …handing handlers this context instead, so they do the same work as behind the authorizer. */
  fixedAuthorizerContext?: Record<string, unknown>;
  localRoutes?: LocalRoute[];
}

export interface Gateway {
  server: Server;
  stats: { authorizerCalls: number; cacheHits: number };
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  clearAuthorizerCache(): void;
  /** Sees every event handed to a Lambda (`authorizer` or a route's function) before it runs: the cold-start bench
   * replays them in fresh processes. */
  onInvoke?: (fn: string, event: unknown) => void;
}

const lambdaContext = (name: string): Context =>
  ({
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/** API Gateway's policy check: an Allow statement whose resource (with `*` wildcards) matches the ARN. */
function policyAllows(result: APIGatewayAuthorizerResult, methodArn: string): boolean {
  let allowed = false;
  for (const st of result.policyDocument.Statement) {
    const s = st as { Effect: string; Resource?: string | string[] };
    const resources = Array.isArray(s.Resource) ? s.Resource : s.Resource ? [s.Resource] : [];
    const matches = resources.some((r) =>
      new RegExp(
        `^${r
          .split('*')
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ).test(methodArn),
    );
    if (!matches) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

async function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, statusCode: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(statusCode, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const withAuthorizer = options.withAuthorizer ?? true;
  // Load each Lambda once, as a warm container would.
  const authorizer = (await import('../../functions/authorizer/handler')).handler as Authorizer;
  const handlers = new Map<string, LambdaHandler>();
  for (const fn of new Set(routes.map((r) => r.fn))) {
    const mod = (await import(`../../functions/${fn}/handler.ts`)) as { handler: LambdaHandler };
    handlers.set(fn, mod.handler);
  }
  const cache = new Map<string, { result: APIGatewayAuthorizerResult; expires: number }>();
  const stats = { authorizerCalls: 0, cacheHits: 0 };

  const gatewayResponse = (res: ServerResponse, type: GatewayResponseType, context?: Record<string, unknown>) => {
    const r = renderGatewayResponse(type, context);
    send(res, r.statusCode, r.body, r.headers);
  };

  async function authorize(
    route: RouteDef,
    event: APIGatewayRequestAuthorizerEvent,
    authorization: string,
  ): Promise<APIGatewayAuthorizerResult | 'unauthorized' | 'failure'> {
    // Identity sources: Authorization header, context.httpMethod, context.resourcePath, context.path.
    const key = [authorization, event.httpMethod, route.path, event.path].join('\n');
    const hit = cache.get(key);
    const now = Date.now();
    if (hit && hit.expires > now) {
      stats.cacheHits++;
      return hit.result;
    }
    stats.authorizerCalls++;
    try {
      gateway.onInvoke?.('authorizer', event);
      const result = await authorizer(event);
      if (options.authorizerCacheTtlSeconds > 0) {
        cache.set(key, { result, expires: now + options.authorizerCacheTtlSeconds * 1000 });
      }
      return result;
    } catch (err) {
      if ((err as Error).message === 'Unauthorized') return 'unauthorized';
      return 'failure';
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (body === 'too-large') return gatewayResponse(res, 'REQUEST_TOO_LARGE');

    const local = options.localRoutes?.find((r) => r.method === method && r.path === url.pathname);
    if (local) {
      const out = await local.handle({ body, query: url.searchParams });
      return send(res, out.statusCode, JSON.stringify(out.body));
    }

    let matched: ReturnType<typeof matchRoute>['match'];
    try {
      matched = matchRoute(method, url.pathname).match;
    } catch {
      matched = undefined; // a malformed %-escape in the path
    }
    if (!matched) return gatewayResponse(res, 'MISSING_AUTHENTICATION_TOKEN');
    const { route, pathParameters } = matched;

    // Names come from the client: collected in Maps, then made own properties (as JSON.parse does for the
    // event API Gateway sends), so `__proto__` or `constructor` are ordinary names for zod to judge.
    const headerValues = new Map<string, string[]>();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headerValues.set(k, Array.isArray(v) ? v : [v]);
    }
    const queryValues = new Map<string, string[]>();
    for (const [k, v] of url.searchParams) queryValues.set(k, [...(queryValues.get(k) ?? []), v]);
    const lastOf = (values: Map<string, string[]>): Record<string, string> =>
      Object.fromEntries([...values].map(([k, vs]) => [k, vs[vs.length - 1] ?? '']));
    const headers = lastOf(headerValues);
    const multiValueHeaders: Record<string, string[]> = Object.fromEntries(headerValues);
    const query = lastOf(queryValues);
    const multiQuery: Record<string, string[]> = Object.fromEntries(queryValues);
    const hasQuery = Object.keys(query).length > 0;
    const hasParams = Object.keys(pathParameters).length > 0;
    const requestId = randomUUID();
    const requestContext = {
      accountId: '000000000000',
      apiId: 'local',
      httpMethod: method,
      path: `/local${url.pathname}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: route.id,
      resourcePath: route.path,
      stage: 'local',
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? null },
    } as unknown as APIGatewayProxyEvent['requestContext'];

    let authorizerContext: Record<string, unknown> | null = withAuthorizer
      ? null
      : (options.fixedAuthorizerContext ?? null);
    if (usesAuthorizer(route) && withAuthorizer) {
      const authorization = headers.authorization;
      // API Gateway refuses a request lacking an identity source without calling the authorizer.
      if (!authorization) return gatewayResponse(res, 'UNAUTHORIZED');
      const methodArn = `arn:aws:execute-api:local:000000000000:local/local/${method}${url.pathname}`;
      const authEvent = {
        type: 'REQUEST',
        methodArn,
        resource: route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders,
        queryStringParameters: hasQuery ? query : null,
        multiValueQueryStringParameters: hasQuery ? multiQuery : null,
        pathParameters: hasParams ? pathParameters : null,
        stageVariables: null,
        requestContext,
      } as unknown as APIGatewayRequestAuthorizerEvent;
      const result = await authorize(route, authEvent, authorization);
      if (result === 'unauthorized') return gatewayResponse(res, 'UNAUTHORIZED');
      if (result === 'failure') return gatewayResponse(res, 'AUTHORIZER_FAILURE');
      if (!policyAllows(result, methodArn)) return gatewayResponse(res, 'ACCESS_DENIED', result.context ?? {});
      authorizerContext = { ...(result.context ?? {}), principalId: result.principalId };
    }

    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: hasQuery ? query : null,
      multiValueQueryStringParameters: hasQuery ? multiQuery : null,
      pathParameters: hasParams ? pathParameters : null,
      stageVariables: null,
      requestContext: { ...requestContext, authorizer: authorizerContext },
      body: body.length > 0 ? body : null,
      isBase64Encoded: false,
    };
    const handler = handlers.get(route.fn);
    if (!handler) return gatewayResponse(res, 'DEFAULT_5XX');
    let out: APIGatewayProxyResult;
    try {
      gateway.onInvoke?.(route.fn, event);
      out = await handler(event, lambdaContext(route.fn));
    } catch {
      // A Lambda that throws is a 502 from API Gateway; ours map every error, so this means a crash.
      return gatewayResponse(res, 'DEFAULT_5XX');
    }
    // A header the Lambda sets replaces the gateway's own of the same name, whatever its case.
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries({ 'X-Request-Id': requestId, ...out.headers })) {
      for (const had of Object.keys(outHeaders)) if (had.toLowerCase() === k.toLowerCase()) delete outHeaders[had];
      outHeaders[k] = String(v);
    }
    res.writeHead(out.statusCode, outHeaders);
    res.end(out.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) gatewayResponse(res, 'DEFAULT_5XX');
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;

  const gateway: Gateway = {
    server,
    stats,
    clearAuthorizerCache: () => cache.clear(),
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  return gateway;
}
