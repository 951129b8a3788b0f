// Deployment settings. Everything has an offline default so `npx cdk synth` works with no AWS account;
// pass real values with `-c key=value` (or cdk.context.json) when deploying.
import type { App } from 'aws-cdk-lib';

export interface DeployConfig {
  stage: string;
  tableName: string;
  auth: { issuer: string; audience: string; jwksUrl: string; algorithms: string };
  /** Seconds API Gateway may reuse an authorizer decision (≤ 60: bounds how long a revoked permission lingers). */
  authorizerCacheTtlSeconds: number;
  throttle: { rateLimit: number; burstLimit: number };
  mail: { identity: string; from: string; appUrl: string };
  /** The admin console (InboxAccessConsole): its sign-in settings, written to its config.json at deploy. */
  console: {
    /** OpenID Connect issuer the console signs in with (default: the API's `authIssuer`). */
    oidcIssuer: string;
    /** The console's public OIDC client (code + PKCE, no secret); its tokens must pass the API's audience check. */
    oidcClientId: string;
    /** Scopes asked for (default `openid email`). */
    oidcScope: string;
    /**
     * Origins the console may call besides its own and the issuer's, for the Content-Security-Policy's
     * connect-src: a token endpoint on another origin (Cognito's hosted UI domain, for one).
     */
    connectOrigins: string[];
    /** A custom domain for the distribution, with its ACM certificate (us-east-1); both or neither. */
    domainName?: string;
    certificateArn?: string;
  };
  /** The seat reconciliation: its EventBridge Scheduler expression and workspaces at once. */
  jobs: {
    reconcileSchedule: string;
    reconcileConcurrency: number;
    /** The grant sweep (expired time-bound grants, access requests): housekeeping, decisions never wait for it. */
    grantSweepSchedule: string;
    /** The scheduled-message delivery: how often due messages are sent (a message goes out within this of sendAt). */
    scheduledDeliverySchedule: string;
  };
}

export function loadConfig(app: App): DeployConfig {
  const ctx = (key: string, fallback: string): string => {
    const v = app.node.tryGetContext(key);
    return typeof v === 'string' && v.length > 0 ? v : fallback;
  };
  const ttl = Number(ctx('authorizerCacheTtlSeconds', '30'));
  if (!(ttl >= 0 && ttl <= 60)) throw new Error('authorizerCacheTtlSeconds must be between 0 and 60');
  const issuer = ctx('authIssuer', 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE');
  return {
    stage: ctx('stage', 'prod'),
    tableName: ctx('tableName', 'inbox-access'),
    auth: {
      issuer,
      audience: ctx('authAudience', 'inbox-access-api'),
      jwksUrl: ctx('authJwksUrl', `${issuer}/.well-known/jwks.json`),
      algorithms: ctx('authAlgorithms', 'RS256,ES256'),
    },
    authorizerCacheTtlSeconds: ttl,
    throttle: { rateLimit: Number(ctx('throttleRate', '200')), burstLimit: Number(ctx('throttleBurst', '400')) },
    mail: {
      identity: ctx('sesIdentity', 'example.com'),
      from: ctx('mailFrom', 'Inbox <invitations@example.com>'),
      appUrl: ctx('appUrl', 'https://app.example.com'),
    },
    console: {
      oidcIssuer: ctx('consoleOidcIssuer', issuer),
      oidcClientId: ctx('consoleOidcClientId', ctx('authAudience', 'inbox-access-api')),
      oidcScope: ctx('consoleOidcScope', 'openid email'),
      connectOrigins: ctx('consoleConnectOrigins', '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0)
        .map(origin),
      ...consoleDomain(ctx('consoleDomainName', ''), ctx('consoleCertificateArn', '')),
    },
    jobs: {
      reconcileSchedule: ctx('reconcileSchedule', 'rate(1 hour)'),
      reconcileConcurrency: Number(ctx('reconcileConcurrency', '32')),
      grantSweepSchedule: ctx('grantSweepSchedule', 'rate(5 minutes)'),
      scheduledDeliverySchedule: ctx('scheduledDeliverySchedule', 'rate(1 minute)'),
    },
  };
}

/** An origin (scheme://host[:port]) for a CSP source list; anything else fails the synth. */
function origin(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'https:') throw new Error(`consoleConnectOrigins: ${url} is not an https origin`);
  return u.origin;
}

function consoleDomain(domainName: string, certificateArn: string): { domainName?: string; certificateArn?: string } {
  if (!domainName && !certificateArn) return {};
  if (!domainName || !certificateArn) {
    throw new Error('consoleDomainName and consoleCertificateArn go together (an ACM certificate in us-east-1)');
  }
  return { domainName, certificateArn };
}
