import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { PermissionMap } from '../permissions/schema';
import { Grant as ExtraGrant } from '../table/members/member';

const Grant = z.union([z.literal(true), z.enum(['all', 'groups', 'assigned'])]);

export const SimulateRoleParams = z.object({ ws: z.string().min(1).max(64), roleId: z.string().min(1).max(64) });
export const SimulateMemberParams = z.object({ ws: z.string().min(1).max(64), memberId: z.string().min(1).max(64) });
export const SimulateMemberRoleBody = z.strictObject({ roleId: z.string().min(1).max(64) });

/** Something that holds the role: a member, a pending invitation or an API key. */
const HolderRef = z.object({
  type: z.enum(['member', 'invitation', 'apiKey']),
  id: z.string(),
  /** The member's or invitee's email, the key's name. */
  label: z.string(),
});

const Unchanged = HolderRef.extend({ reason: z.string() });

export const PermissionChange = z.object({
  permission: z.string(),
  before: Grant.nullable(),
  after: Grant.nullable(),
  change: z.enum(['added', 'removed', 'widened', 'narrowed']),
  gain: z.array(HolderRef),
  lose: z.array(HolderRef),
  /** Holders whose effective permission stays as it was, and why (a company admin holds everything). */
  unchanged: z.array(Unchanged),
});

export const Problem = z.object({
  /** `deactivated`: the member must be reactivated before its role changes (the PATCH is a 409). */
  kind: z.enum(['escalation', 'plan', 'name', 'role', 'self', 'owner', 'deactivated']),
  message: z.string(),
  permission: z.string().optional(),
  feature: z.string().optional(),
  exceeds: z.array(z.object({ permission: z.string(), requested: Grant, held: Grant.nullable() })).optional(),
});

const HolderEffect = HolderRef.extend({
  companyAdmin: z.boolean(),
  /** Effective permissions now and after the change (what GET .../me would show). */
  permissionsBefore: PermissionMap,
  permissionsAfter: PermissionMap,
});

export const RoleSimulation = z
  .object({
    roleId: z.string(),
    /** The role version this was computed on: PATCH with it, and a change in between is a 409. */
    version: z.number().int(),
    /** Whether the caller's PATCH with this body would pass the no-escalation rule and the name rules. */
    mayApply: z.boolean(),
    permissionsBefore: PermissionMap,
    permissionsAfter: PermissionMap,
    changes: z.array(PermissionChange),
    holders: z.array(HolderEffect),
    problems: z.array(Problem),
  })
  .meta({ id: 'RoleSimulation' });

export const MemberRoleSimulation = z
  .object({
    memberId: z.string(),
    fromRoleId: z.string(),
    toRoleId: z.string(),
    /** The member's version this was computed on. */
    memberVersion: z.number().int(),
    /** The target role's version, when it is a custom role. */
    roleVersion: z.number().int().nullable(),
    mayApply: z.boolean(),
    companyAdmin: z.boolean(),
    permissionsBefore: PermissionMap,
    permissionsAfter: PermissionMap,
    changes: z.array(PermissionChange),
    /** Inboxes the member would start or stop seeing (visibility follows the role). */
    inboxes: z.object({ gain: z.array(z.string()), lose: z.array(z.string()) }),
    problems: z.array(Problem),
  })
  .meta({ id: 'MemberRoleSimulation' });

const RoleTerm = z.object({ roleId: z.string(), until: z.iso.datetime(), previousRoleId: z.string() });

export const InboxReach = z.object({
  inboxId: z.string(),
  name: z.string(),
  visibility: z.enum(['public', 'private']),
  kind: z.enum(['shared', 'personal']),
  /** How it is reached: `direct`, `team` (see teamIds), `private access`, `public` (role works in inboxes), `personal`. */
  via: z.array(z.enum(['direct', 'team', 'private access', 'public', 'personal'])),
  teamIds: z.array(z.string()),
});

export const LastChange = z
  .object({
    at: z.string(),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }),
    actor: z.object({ memberId: z.string().nullable(), userId: z.string().nullable(), source: z.string() }),
  })
  .nullable();

export const AccessReviewItem = z
  .object({
    /**
     * `companyAdmin`: a company admin of the workspace's organization who is not a member (`id` is its user id;
     * the authorizer lets it in with the Owner's permissions; no grants, no term, no assignment). A company
     * admin who is a member is a `member` row with `companyAdmin: true`.
     */
    type: z.enum(['member', 'companyAdmin', 'apiKey']),
    id: z.string(),
    label: z.string(),
    userId: z.string().nullable(),
    /** The role in force now (a running term's role, or the role it went back to once the term ended). */
    roleId: z.string(),
    roleName: z.string(),
    companyAdmin: z.boolean(),
    /**
     * `active`; `deactivated` (a member: holds nothing, reaches no inbox); `suspended` (an API key whose
     * member was deactivated: works no more).
     */
    status: z.enum(['active', 'deactivated', 'suspended']),
    /** Effective permissions, with scopes (what the policy decides on): the role in force and grants in force. */
    permissions: PermissionMap,
    /** A member's extra grants still in force, each with its end (none for keys). */
    grants: z.array(ExtraGrant),
    /** A member's role held for a term: `roleId` until `until`, then `previousRoleId` (null: none running). */
    roleGrant: RoleTerm.nullable(),
    inboxes: z.array(InboxReach),
    /** The newest audit entry about them, their custom role or their teams. */
    lastChange: LastChange,
  })
  .meta({ id: 'AccessReviewItem' });
export type AccessReviewItem = z.infer<typeof AccessReviewItem>;

export const AccessReviewPage = z
  .object({ items: z.array(AccessReviewItem), nextCursor: z.string().nullable() })
  .meta({ id: 'AccessReviewPage' });

export const AccessReviewQuery = PageQuery.extend({ format: z.enum(['json', 'csv']).default('json') }).strict();
