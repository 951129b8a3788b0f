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
    jobs: {
      reconcileSchedule: ctx('reconcileSchedule', 'rate(1 hour)'),
      reconcileConcurrency: Number(ctx('reconcileConcurrency', '32')),
      grantSweepSchedule: ctx('grantSweepSchedule', 'rate(5 minutes)'),
      scheduledDeliverySchedule: ctx('scheduledDeliverySchedule', 'rate(1 minute)'),
    },
  };
}
