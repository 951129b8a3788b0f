// Authentication settings, from the environment (set by CDK in AWS and by the local gateway locally).
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

export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const cfg: AuthConfig = {
    issuer: env.AUTH_ISSUER ?? '',
    audience: env.AUTH_AUDIENCE ?? '',
    algorithms: (env.AUTH_ALGORITHMS ?? 'RS256,ES256')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    cacheTtlSeconds: Number(env.AUTH_CACHE_TTL_SECONDS ?? 30),
  };
  if (env.AUTH_JWKS_URL) cfg.jwksUrl = env.AUTH_JWKS_URL;
  if (env.AUTH_JWKS_JSON) cfg.jwksJson = env.AUTH_JWKS_JSON;
  return cfg;
}
