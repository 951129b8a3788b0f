// The middy chain every Lambda behind the API uses, and the per-route dispatch within a Lambda.
// Order on the way in: Powertools tracer/logger/metrics → header normalizer → body size → JSON body parser
// → zod validation. On error middy runs `onError` in reverse: the error mapper first (contract body),
// then http-error-handler last, as a safety net that only acts if nothing answered.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { Access } from '../access';
import type { Contract, OperationContract, OpInput, OpOutput } from '../api/contract';
import { AppError, InternalError, InvalidRequest, type Issue, NotFound, PayloadTooLarge } from '../errors';
import { type Area, type RouteDef, type RouteId, type RouteIdOf, routeFor, routes } from '../routes';
import { ANONYMOUS, type Caller, caller } from './caller';
import { withIdempotencyKey } from './idempotency';
import { logger, metrics, tracer } from './observability';
import { accessFromAuthorizer, decisionExpired, requireAccess, requireAccessWith } from './require-access';
import { type Result, toProxyResult } from './responses';

/** Bodies above this are refused with 413 before parsing (API Gateway's own ceiling is 10 MB). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface OpContext<R extends RouteId> extends OpInput<R> {
  caller: Caller;
  /** The caller's standing in `{ws}`, read fresh and checked against the route (memoized per request). */
  access: () => Promise<Access>;
  /**
   * On a write whose area declares a `prefetch` for the route: the items of those keys, read fresh in the
   * same round trip as the access re-check (absent ones missing). `undefined` otherwise: read them yourself.
   */
  prefetched: () => Promise<Record<string, unknown>[] | undefined>;
  route: RouteDef;
  event: APIGatewayProxyEvent;
}

export type Operation<R extends RouteId> = (ctx: OpContext<R>) => Promise<Result<OpOutput<R>>>;
export type Operations<R extends RouteId> = { [K in R]: Operation<K> };

interface ParsedEvent extends APIGatewayProxyEvent {
  parsed?: { route: RouteDef; params: unknown; query: unknown; body: unknown };
}

function issuesOf(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

const bodySizeLimit = (): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: async (request) => {
    const body = request.event.body;
    if (
      typeof body === 'string' &&
      Buffer.byteLength(body, request.event.isBase64Encoded ? 'base64' : 'utf8') > MAX_BODY_BYTES
    ) {
      throw new PayloadTooLarge(MAX_BODY_BYTES);
    }
  },
});

/**
 * Finds the route from API Gateway's `resource` + method and validates params, query and body with zod, by
 * the schemas of this Lambda's own area (a route of another area is not served here: 404).
 */
const validation = (contract: Readonly<Record<string, OperationContract>>): MiddlewareObj<ParsedEvent> => ({
  before: async (request) => {
    const event = request.event;
    const route = routeFor(event.httpMethod, event.resource);
    const spec = route && Object.hasOwn(contract, route.id) ? contract[route.id] : undefined;
    if (!route || !spec) throw new NotFound('Route');
    const issues: Issue[] = [];
    const parse = (schema: z.ZodType | undefined, value: unknown, where: string): unknown => {
      if (!schema) return undefined;
      const res = schema.safeParse(value);
      if (res.success) return res.data;
      issues.push(...issuesOf(res.error, where));
      return undefined;
    };
    const params = parse(spec.params, event.pathParameters ?? {}, 'params');
    const query = parse(spec.query, event.queryStringParameters ?? {}, 'query');
    let body: unknown;
    if (spec.body) {
      if (typeof event.body === 'string') {
        issues.push({ path: 'body', message: 'Send a JSON body with Content-Type: application/json' });
      } else {
        body = parse(spec.body, event.body ?? undefined, 'body');
      }
    } else if (!isEmptyBody(event.body)) {
      // A route without a body refuses one rather than ignore it: the caller meant something else.
      issues.push({ path: 'body', message: 'This route takes no body' });
    }
    if (issues.length > 0) throw new InvalidRequest('The request is not valid', issues);
    event.parsed = { route, params, query, body };
  },
});

/** Turns any error into the contract's error body; unknown errors become a 500 that shows nothing. */
const errorMapper = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const err = request.error;
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (isClientHttpError(err)) {
      // middy's body parser: malformed JSON or a wrong content type.
      appError = new InvalidRequest('The body is not valid JSON', [{ path: 'body', message: err.message }]);
    } else appError = new InternalError(err);
    if (appError.statusCode >= 500) {
      logger.error('request failed', { error: err as Error, code: appError.code });
      metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
    }
    request.response = toProxyResult({
      statusCode: appError.statusCode,
      body: appError.toBody(),
      headers: appError.headers,
    });
  },
});

/**
 * `X-Request-ID` (AuthZEN 1.0 §Request Identification): a request that names itself gets the same id
 * back on its answer, errors included. Printable ASCII up to 256 characters; anything else is not echoed.
 */
const requestIdEcho = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const echo = (request: { event: APIGatewayProxyEvent; response: APIGatewayProxyResult | null | undefined }) => {
    let id: string | undefined;
    for (const [k, v] of Object.entries(request.event?.headers ?? {})) if (k.toLowerCase() === 'x-request-id') id = v;
    if (!request.response || id === undefined || !/^[\x20-\x7e]{1,256}$/.test(id)) return;
    request.response.headers = { ...request.response.headers, 'X-Request-ID': id };
  };
  return { after: async (request) => echo(request), onError: async (request) => echo(request) };
};

function isClientHttpError(err: unknown): err is Error & { statusCode: number } {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return err instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * One Lambda serves the routes of an area (a folder under functions/). `ops` must cover exactly the
 * routes the route table gives this area: the type requires every one, and loading refuses a mismatch.
 */
/** Keys of workspace items a write route reads with its fresh access check (one round trip for both). */
export type Prefetch<R extends RouteId> = (input: {
  params: OpInput<R>['params'];
  caller: Caller;
}) => { PK: string; SK: string }[];

export function areaHandler<const A extends Area>(
  area: A,
  /** The area's module of shared/api/areas/: the bundle builds only its own routes' schemas. */
  contract: Pick<Contract, RouteIdOf<A>>,
  ops: Operations<RouteIdOf<A>>,
  options: { prefetch?: { [K in RouteIdOf<A>]?: Prefetch<K> } } = {},
) {
  const expected = routes.filter((r) => r.fn === area).map((r) => r.id as string);
  const given = Object.keys(ops);
  if (expected.length !== given.length || expected.some((id) => !given.includes(id))) {
    throw new Error(`Area "${area}" serves [${given.join(', ')}] but the route table says [${expected.join(', ')}]`);
  }
  const specified = Object.keys(contract);
  if (expected.length !== specified.length || expected.some((id) => !specified.includes(id))) {
    throw new Error(
      `Area "${area}" has schemas for [${specified.join(', ')}] but the route table says [${expected.join(', ')}]`,
    );
  }
  const base = async (event: ParsedEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const parsed = event.parsed;
    if (!parsed) throw new NotFound('Route');
    const op = (ops as Record<string, Operation<RouteId> | undefined>)[parsed.route.id];
    if (!op) throw new NotFound('Route');
    metrics.addMetadata('route', parsed.route.id);
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    const who = parsed.route.access.kind === 'public' ? ANONYMOUS : caller(event);
    const wsId = event.pathParameters?.ws;
    let pending: Promise<{ access: Access; extra?: Record<string, unknown>[] }> | undefined;
    const prefetch = parsed.route.write
      ? (options.prefetch as Record<string, Prefetch<RouteId> | undefined> | undefined)?.[parsed.route.id]
      : undefined;
    // Reads decide on what the authorizer decided on; writes, and explanations of one's access, re-read and
    // re-check on fresh data.
    const load = () => {
      if (!wsId) throw new NotFound('Workspace');
      const decided = parsed.route.write || parsed.route.fresh ? undefined : accessFromAuthorizer(who, wsId);
      pending ??= decided
        ? Promise.resolve({ access: decided })
        : prefetch
          ? requireAccessWith(who, parsed.route, wsId, prefetch({ params: parsed.params as never, caller: who }))
          : requireAccess(who, parsed.route, wsId).then((a) => ({ access: a }));
      return pending;
    };
    const access = () => load().then((r) => r.access);
    const prefetched = async () => (prefetch ? (await load()).extra : undefined);
    // Writes never trust a cached authorizer answer: re-check on fresh data before doing anything.
    // Reads too, when the authorizer's decision counted a time-bound grant that has ended since (its cached
    // Allow may outlive the grant): decided again on fresh data, so an ended grant opens nothing.
    if (parsed.route.access.kind === 'member' && (parsed.route.write || decisionExpired(who))) await access();
    const execute = () =>
      op({
        caller: who,
        access,
        prefetched,
        route: parsed.route,
        event,
        params: parsed.params,
        query: parsed.query,
        body: parsed.body,
      } as OpContext<RouteId>);
    const result = parsed.route.write
      ? await withIdempotencyKey(
          event.headers?.['idempotency-key'],
          {
            principal: who.userId ?? who.keyHash ?? 'anonymous',
            route: parsed.route.id,
            params: parsed.params ?? null,
            query: parsed.query ?? null,
            body: parsed.body ?? null,
          },
          execute,
          context,
          parsed.route.secretFields,
        )
      : await execute();
    return toProxyResult(result);
  };
  // Tracer first, as Powertools' middy guide orders them, so the trace spans the other middlewares.
  return middy(base)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
    .use(httpErrorHandler({ logger: false }))
    .use(requestIdEcho())
    .use(httpHeaderNormalizer())
    .use(bodySizeLimit())
    .use(httpJsonBodyParser({ disableContentTypeError: true }))
    .use(validation(contract as Readonly<Record<string, OperationContract>>))
    .use(errorMapper());
}

function isEmptyBody(body: unknown): boolean {
  if (body === null || body === undefined || body === '') return true;
  return typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
}
