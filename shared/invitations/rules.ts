// The workspace's invitation rules (PRODUCT.md §10), checked at invite (new, refresh, resend) and at accept:
// - `inviteDomains`: the email's domain must be listed, exactly (a subdomain only if it is listed itself).
//   Domains compare ASCII-lowercased with one trailing dot dropped, nothing else folded: a domain with any
//   non-ASCII letter (an IDN look-alike such as `exаmple.com` with a Cyrillic а) is never a listed one, and
//   `+tags` in the local part do not matter. Listed domains are stored in that form (workspaces/schema).
// - `requireIdentityProvider`: accepting needs a token whose issuer, `idp` claim or one of whose `amr` values
//   is listed.
import { InviteRuleViolated } from '../errors';

interface Rules {
  inviteDomains?: string[];
  requireIdentityProvider?: string[];
}

/** The domain an email is compared by, or null when it has none or is not ASCII. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const domain = email
    .slice(at + 1)
    .trim()
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(/\.$/, '');
  return domain.length > 0 && /^[\x21-\x7e]+$/.test(domain) ? domain : null;
}

export function assertInviteDomain(settings: Rules, email: string, when: 'invite' | 'accept'): void {
  const listed = settings.inviteDomains ?? [];
  if (listed.length === 0) return;
  const domain = emailDomain(email);
  if (domain !== null && listed.includes(domain)) return;
  throw new InviteRuleViolated(
    'inviteDomains',
    `${when === 'invite' ? 'Invitations go' : 'Invitations are accepted'} only to emails of ${listed.join(', ')} (inviteDomains)`,
    { domain: domain ?? '' },
  );
}

export function assertIdentityProvider(
  settings: Rules,
  signIn: { issuer: string | null; idp: string | null; amr: string[] } | undefined,
): void {
  const listed = settings.requireIdentityProvider ?? [];
  if (listed.length === 0) return;
  const used = [signIn?.issuer, signIn?.idp, ...(signIn?.amr ?? [])].filter((x): x is string => !!x);
  if (used.some((x) => listed.includes(x))) return;
  throw new InviteRuleViolated(
    'requireIdentityProvider',
    `This workspace accepts invitations only from sign-ins through ${listed.join(', ')} (requireIdentityProvider)`,
  );
}
