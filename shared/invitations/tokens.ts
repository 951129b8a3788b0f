// Invitation tokens are never stored. A token is an HMAC of (workspace, invitation, nonce) under a
// secret the table does not hold (Secrets Manager in AWS, an env value locally); the table keeps only
// the token's SHA-256. Resending draws a new nonce, so the old token stops matching. The mailer
// recomputes the token from the same secret.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { config } from '../config';

export const TOKEN_PREFIX = 'inv_';

async function secret(): Promise<string> {
  const { INVITE_TOKEN_SECRET, INVITE_TOKEN_SECRET_ARN } = config.invitationSecret();
  // Loaded when a token is first minted or checked, not at every cold start: it brings the SDK's Secrets Manager
  // client, and most requests of the functions that can mint a token (members, invitations, mail) never do.
  const value =
    INVITE_TOKEN_SECRET ??
    (INVITE_TOKEN_SECRET_ARN
      ? await (await import('@aws-lambda-powertools/parameters/secrets')).getSecret<string>(INVITE_TOKEN_SECRET_ARN, {
          maxAge: 300,
        })
      : undefined);
  if (!value || value.length < 32) throw new Error('The invitation token secret (32+ characters) is not configured');
  return value;
}

export const newNonce = () => randomBytes(16).toString('base64url');

export async function invitationToken(wsId: string, invitationId: string, nonce: string): Promise<string> {
  return (
    TOKEN_PREFIX +
    createHmac('sha256', await secret())
      .update(`${wsId}:${invitationId}:${nonce}`)
      .digest('base64url')
  );
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
