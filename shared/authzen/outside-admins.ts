// Company admins of a workspace's organization who are not members of it. The access review lists them as rows and
// AuthZEN's `user` subject search names them after the members; both ask this one function, so both name exactly
// the users the authorizer lets in without a membership.
import { getOrg } from '../organizations/repository';
import { type Facts, settle } from './repository';

export interface OutsideAdmin {
  userId: string;
  /** From the organization's admin item; a grant holder no longer listed as admin has none. */
  email?: string;
}

/**
 * Users with a company-admin grant for this workspace of its organization (`USER#u/ORGWS#ws`, what the authorizer
 * reads) and no membership pointer (a member, even a deactivated one, is a member: flagged `companyAdmin` where it
 * is one). Candidates are the organization's admins and its grant holders: a grant a repair has not yet removed
 * still lets its user in, and an admin whose grant is missing is not let in. One Query of the organization and one
 * `BatchGetItem` wave; bounded by the organization's caps. Sorted by user id.
 */
export async function outsideAdmins(f: Facts): Promise<OutsideAdmin[]> {
  const orgId = f.ws.orgId;
  if (!orgId) return [];
  const org = await getOrg(orgId);
  if (!org) return [];
  const emails = new Map(org.admins.map((a) => [a.userId, a.email]));
  const candidates = [...new Set([...emails.keys(), ...org.holders])].sort();
  const facts = await settle(f, () =>
    candidates.map((u) => ({ membership: f.membership(u), admin: f.companyAdmin(u) })),
  );
  return candidates
    .filter((_, i) => facts[i]?.membership === null && facts[i]?.admin === true)
    .map((userId) => {
      const email = emails.get(userId);
      return email === undefined ? { userId } : { userId, email };
    });
}
