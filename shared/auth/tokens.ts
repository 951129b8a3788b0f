import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { AuthConfig } from './config';

export interface UserIdentity {
  userId: string;
  email: string | null;
  emailVerified: boolean;
  /** The token's issuer, `idp` claim and `amr` values: what `requireIdentityProvider` matches. */
  issuer?: string;
  idp?: string;
  amr?: string[];
}

/**
 * Verified tokens are remembered per container (bounded, at most 5 minutes and never past `exp`), so a
 * warm authorizer spends its time on the one DynamoDB read, not on repeating the same signature check.
 * A key removed from the JWKS stops working within those 5 minutes; a token can never outlive its `exp`.
 */
const VERIFIED_MAX = 2000;
const VERIFIED_TTL_MS = 5 * 60_000;

/** Builds a verifier once per container; JWKS are fetched lazily and cached by jose. */
export function createTokenVerifier(cfg: AuthConfig): (token: string) => Promise<UserIdentity> {
  let keys: JWTVerifyGetKey;
  if (cfg.jwksJson) keys = createLocalJWKSet(JSON.parse(cfg.jwksJson) as JSONWebKeySet);
  else if (cfg.jwksUrl) keys = createRemoteJWKSet(new URL(cfg.jwksUrl));
  else throw new Error('AUTH_JWKS_URL or AUTH_JWKS_JSON must be set');
  if (!cfg.issuer || !cfg.audience) throw new Error('AUTH_ISSUER and AUTH_AUDIENCE must be set');
  // Only asymmetric algorithms: an HS* token signed with the public key (algorithm confusion) is refused.
  const algorithms = cfg.algorithms.filter((a) => !a.startsWith('HS') && a !== 'none');

  const verified = new Map<string, { identity: UserIdentity; until: number }>();

  return async (token) => {
    const hit = verified.get(token);
    if (hit) {
      if (hit.until > Date.now()) return hit.identity;
      verified.delete(token);
    }
    const { payload } = await jwtVerify(token, keys, {
      issuer: cfg.issuer,
      audience: cfg.audience,
      algorithms,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 5,
    });
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw new Error('bad sub');
    // `scim:<memberId>` keys the pointer of a provisioned member nobody has signed in as yet (shared/table/scim/keys.ts).
    if (sub.startsWith('scim:')) throw new Error('bad sub');
    const email = typeof payload.email === 'string' ? payload.email : null;
    const identity: UserIdentity = {
      userId: sub,
      email,
      emailVerified: payload.email_verified === true,
      ...(typeof payload.iss === 'string' ? { issuer: payload.iss } : {}),
      ...(typeof payload.idp === 'string' ? { idp: payload.idp.slice(0, 512) } : {}),
      ...(Array.isArray(payload.amr)
        ? { amr: payload.amr.filter((a): a is string => typeof a === 'string').slice(0, 10) }
        : {}),
    };
    const until = Math.min((payload.exp ?? 0) * 1000, Date.now() + VERIFIED_TTL_MS);
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
    verified.set(token, { identity, until });
    return identity;
  };
}
