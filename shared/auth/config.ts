// Authentication settings, from the checked runtime configuration (set by CDK in AWS, by the local gateway locally).
import { config } from '../config';

export interface AuthConfig {
  issuer: string;
  audience: string;
  /** Remote JWKS (Cognito, any OIDC issuer). */
  jwksUrl?: string;
  /** Inline JWKS (the local issuer). */
  jwksJson?: string;
  algorithms: string[];
  /** How long API Gateway (and the local gateway) may reuse a decision. */
  cacheTtlSeconds: number;
}

export function authConfigFromEnv(): AuthConfig {
  const env = config.auth();
  const cfg: AuthConfig = {
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    algorithms: env.AUTH_ALGORITHMS.split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    cacheTtlSeconds: env.AUTH_CACHE_TTL_SECONDS,
  };
  if (env.AUTH_JWKS_URL) cfg.jwksUrl = env.AUTH_JWKS_URL;
  if (env.AUTH_JWKS_JSON) cfg.jwksJson = env.AUTH_JWKS_JSON;
  return cfg;
}
