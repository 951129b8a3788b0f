import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { AuthConfig } from './config';

export interface UserIdentity {
  userId: string;
  email: string | null;
  emailVerified: boolean;
}

/** Builds a verifier once per container; JWKS are fetched lazily and cached by jose. */
export function createTokenVerifier(cfg: AuthConfig): (token: string) => Promise<UserIdentity> {
  let keys: JWTVerifyGetKey;
  if (cfg.jwksJson) keys = createLocalJWKSet(JSON.parse(cfg.jwksJson) as JSONWebKeySet);
  else if (cfg.jwksUrl) keys = createRemoteJWKSet(new URL(cfg.jwksUrl));
  else throw new Error('AUTH_JWKS_URL or AUTH_JWKS_JSON must be set');
  if (!cfg.issuer || !cfg.audience) throw new Error('AUTH_ISSUER and AUTH_AUDIENCE must be set');
  // Only asymmetric algorithms: an HS* token signed with the public key (algorithm confusion) is refused.
  const algorithms = cfg.algorithms.filter((a) => !a.startsWith('HS') && a !== 'none');

  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      issuer: cfg.issuer,
      audience: cfg.audience,
      algorithms,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 5,
    });
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw new Error('bad sub');
    const email = typeof payload.email === 'string' ? payload.email : null;
    return { userId: sub, email, emailVerified: payload.email_verified === true };
  };
}
