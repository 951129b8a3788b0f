// The local token issuer: signs user JWTs for POST /dev/token, and publishes its JWKS to the authorizer
// (AUTH_JWKS_JSON). Production uses any OIDC issuer (Cognito, Auth0, …) through AUTH_JWKS_URL instead.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export const LOCAL_AUDIENCE = 'inbox-access-api';

export interface LocalIssuer {
  issuer: string;
  audience: string;
  jwks: { keys: Record<string, unknown>[] };
  sign(
    claims: { sub: string; email?: string; emailVerified?: boolean; idp?: string; amr?: string[] },
    options?: { expiresIn?: string | number; notBefore?: number; issuer?: string; audience?: string },
  ): Promise<string>;
  /** Env for the authorizer to trust this issuer. */
  env(): Record<string, string>;
}

export async function createLocalIssuer(issuer = 'http://127.0.0.1/local-issuer'): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const jwks = { keys: [jwk] };
  return {
    issuer,
    audience: LOCAL_AUDIENCE,
    jwks,
    async sign(claims, options = {}) {
      const jwt = new SignJWT({
        email: claims.email,
        email_verified: claims.emailVerified ?? true,
        ...(claims.idp !== undefined ? { idp: claims.idp } : {}),
        ...(claims.amr !== undefined ? { amr: claims.amr } : {}),
      })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(claims.sub)
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '12h');
      if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
      return jwt.sign(privateKey);
    },
    env: () => ({
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: LOCAL_AUDIENCE,
      AUTH_JWKS_JSON: JSON.stringify(jwks),
      AUTH_ALGORITHMS: 'ES256,RS256',
    }),
  };
}
