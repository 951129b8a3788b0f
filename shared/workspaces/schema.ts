import * as z from 'zod';
import type { StoredWorkspaceSettings } from '../table/workspaces/record';
import { DisplayName } from '../text/display-name';

export const ContactsVisibility = z.enum(['team', 'private']);

/**
 * An allow-listed invitation domain: ASCII only (a look-alike internationalized name is never the company's;
 * list its `xn--` form to allow one), ASCII-lowercased, a trailing dot dropped.
 */
export const InviteDomain = z
  .string()
  .max(253)
  .transform((d) => d.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/\.$/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/,
        'an ASCII domain name such as example.com',
      ),
  );

/**
 * SCIM provisioning (PRODUCT.md §12): roles from the identity provider (`idp`, default: the first `groupRoles`
 * entry naming one of the user's groups, else the user's `roles` value, else `defaultRoleId`) or from the app
 * (`app`: set at creation, never changed by SCIM after). Every role named is bounded by the SCIM token's ceiling.
 */
export const ScimSettings = z
  .object({
    rolesFrom: z.enum(['idp', 'app']),
    groupRoles: z.array(z.object({ group: z.string(), roleId: z.string() })),
    defaultRoleId: z.string(),
  })
  .meta({ id: 'ScimSettings' });

export const WorkspaceSettings = z
  .object({
    agentsCanManageAttributes: z.boolean(),
    contactsVisibility: ContactsVisibility,
    /** Role ids and permission keys whose grant by anyone but the Owner becomes an access request. */
    requireApprovalFor: z.array(z.string()).optional(),
    /** Invitations go to, and are accepted by, emails of these domains only (exact; a subdomain if listed). */
    inviteDomains: z.array(z.string()).optional(),
    /** Accepting needs a token whose issuer, `idp` claim or one of whose `amr` values is listed. */
    requireIdentityProvider: z.array(z.string()).optional(),
    scim: ScimSettings.optional(),
  })
  .meta({ id: 'WorkspaceSettings' });
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const DEFAULT_SETTINGS: WorkspaceSettings = { agentsCanManageAttributes: false, contactsVisibility: 'team' };

export const Workspace = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    settings: WorkspaceSettings,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof Workspace>;

export const CreateWorkspaceBody = z.strictObject({
  name: DisplayName,
  plan: z.string().min(1).max(40).optional(),
});
export type CreateWorkspaceBody = z.infer<typeof CreateWorkspaceBody>;

export const UpdateWorkspaceBody = z
  .strictObject({
    name: DisplayName.optional(),
    settings: z
      .strictObject({
        agentsCanManageAttributes: z.boolean().optional(),
        contactsVisibility: ContactsVisibility.optional(),
        requireApprovalFor: z.array(z.string().min(1).max(64)).max(50).optional(),
        inviteDomains: z.array(InviteDomain).max(50).optional(),
        requireIdentityProvider: z.array(z.string().min(1).max(512)).max(10).optional(),
        /** Merged over the stored scim settings: name only what changes. */
        scim: z
          .strictObject({
            rolesFrom: z.enum(['idp', 'app']).optional(),
            groupRoles: z
              .array(z.strictObject({ group: z.string().trim().min(1).max(256), roleId: z.string().min(1).max(64) }))
              .max(50)
              .optional(),
            defaultRoleId: z.string().min(1).max(64).optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .refine((b) => b.name !== undefined || b.settings !== undefined, 'Give at least one of name or settings');
export type UpdateWorkspaceBody = z.infer<typeof UpdateWorkspaceBody>;

/** One of the caller's own workspaces (`GET /v1/workspaces`). */
export const OwnWorkspace = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    /** The caller's role in force there, or `companyAdmin` where they are there as company admin of its organization. */
    roleId: z.string(),
    /** `deactivated`: the caller's membership is deactivated; the workspace refuses them until reactivated. */
    status: z.enum(['active', 'deactivated']),
  })
  .meta({ id: 'OwnWorkspace' });
export type OwnWorkspace = z.infer<typeof OwnWorkspace>;

export const OwnWorkspacePage = z
  .object({ items: z.array(OwnWorkspace), nextCursor: z.string().nullable() })
  .meta({ id: 'OwnWorkspacePage' });

// A setting added to the API and not here would be dropped when the item is read back: this fails to compile
// unless both have the same keys and types.
type Same<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : false) : false;
type Assert<T extends true> = T;
export type SettingsAgree = Assert<Same<z.output<typeof StoredWorkspaceSettings>, WorkspaceSettings>>;
