// Assembles the local runtime: DynamoDB Local, the table and its seed data, the local token issuer and
// the local gateway with the dev-only routes. Used by `npm start`, the integration tests and the bench.
import * as z from 'zod';
import { DEFAULT_TABLE_NAME } from '../../shared/config';
import { eventsRoute, reconcileRoute, startLocalEvents } from './billing';
import { attachConsole } from './console-server';
import { type DynamoDbLocal, localAwsEnv, startDynamoDbLocal } from './dynamodb-local';
import { createGateway, type Gateway, type LocalRoute } from './gateway';
import { sweepGrantsRoute } from './grants';
import { createLocalIssuer, type LocalIssuer } from './issuer';
import { outboxRoute, startLocalMail } from './mail';
import { deliverScheduledRoute } from './scheduled';
import { createTable, seedPlans } from './table-setup';

export interface LocalApi {
  url: string;
  port: number;
  endpoint: string;
  tableName: string;
  issuer: LocalIssuer;
  gateway: Gateway;
  stop(): Promise<void>;
}

export interface LocalApiOptions {
  port?: number;
  host?: string;
  /** Reuse a running DynamoDB Local (tests share one); otherwise one is started and stopped with the API. */
  endpoint?: string;
  tableName?: string;
  authorizerCacheTtlSeconds?: number;
  withAuthorizer?: boolean;
  /** Start the SES stand-in and the stream → mailer pipeline here (tests run one for the whole run). */
  mail?: boolean;
  /** Serve the built admin console at /console/ on the same origin (npm start, the browser tests). */
  console?: boolean;
}

const DevTokenBody = z.strictObject({
  sub: z.string().min(1).max(256),
  email: z.email().max(320),
  emailVerified: z.boolean().optional(),
  /** The claim's own name, accepted too. */
  email_verified: z.boolean().optional(),
  expiresIn: z.union([z.string().regex(/^\d+[smhd]$/), z.number().int().positive()]).optional(),
});

function devTokenRoute(issuer: LocalIssuer): LocalRoute {
  return {
    method: 'POST',
    path: '/dev/token',
    async handle({ body }) {
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const parsed = DevTokenBody.safeParse(json);
      if (!parsed.success) {
        return {
          statusCode: 400,
          body: {
            error: {
              code: 'invalid_request',
              message: 'Send {"sub": "...", "email": "..."}',
              issues: parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
            },
          },
        };
      }
      const { sub, email, expiresIn } = parsed.data;
      const emailVerified = parsed.data.emailVerified ?? parsed.data.email_verified;
      const token = await issuer.sign(
        { sub, email, ...(emailVerified === undefined ? {} : { emailVerified }) },
        expiresIn === undefined ? {} : { expiresIn },
      );
      return { statusCode: 200, body: { token } };
    },
  };
}

export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  const ddb: DynamoDbLocal | undefined = options.endpoint ? undefined : await startDynamoDbLocal();
  const endpoint = options.endpoint ?? ddb?.endpoint ?? '';
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const issuer = await createLocalIssuer();
  const ttl = options.authorizerCacheTtlSeconds ?? Number(process.env.AUTH_CACHE_TTL_SECONDS ?? 30);
  // Lambda configuration comes from the environment, as in AWS; set it before the handlers load.
  Object.assign(process.env, localAwsEnv(endpoint), issuer.env(), {
    TABLE_NAME: tableName,
    AUTH_CACHE_TTL_SECONDS: String(ttl),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  await createTable(endpoint, tableName);
  await seedPlans();
  const mail = options.mail ? await startLocalMail({ endpoint, tableName }) : undefined;
  // The EventBridge stand-in the reconciliation's events go to (GET /dev/events shows them).
  const events = await startLocalEvents();
  const gateway = await createGateway({
    authorizerCacheTtlSeconds: ttl,
    withAuthorizer: options.withAuthorizer ?? true,
    localRoutes: [
      devTokenRoute(issuer),
      outboxRoute(),
      reconcileRoute(),
      eventsRoute(),
      sweepGrantsRoute(),
      deliverScheduledRoute(),
    ],
  });
  if (options.console) attachConsole(gateway.server);
  const host = options.host ?? '127.0.0.1';
  const port = await gateway.listen(options.port ?? 0, host);
  // Links in emails point at this server's accept route.
  process.env.APP_URL = `http://${host}:${port}`;
  return {
    url: `http://${host}:${port}`,
    port,
    endpoint,
    tableName,
    issuer,
    gateway,
    async stop() {
      await gateway.close();
      await events.close();
      await mail?.stop();
      await ddb?.stop();
    },
  };
}
