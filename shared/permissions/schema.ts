import * as z from 'zod';
import { PERMISSION_BY_KEY, type Permission, type PermissionGrant, type PermissionSet } from './catalog';

export const ScopeSchema = z.enum(['all', 'groups', 'assigned']);

/**
 * Held permissions as stored and answered: key → `true`, or the scope of a scoped permission. Keys are not
 * checked here (a stored map may name a permission the catalog has since dropped, which nothing decides on);
 * typed as a `PermissionSet`, which such a map still is, so code reading it names catalog keys only.
 */
export const PermissionMap: z.ZodType<PermissionSet> = z
  .partialRecord(z.string(), z.union([z.literal(true), ScopeSchema]))
  .meta({ id: 'PermissionMap', example: { 'messages.view': 'groups', 'contacts.update': true } });

/**
 * Permissions a client names (a role's body, a grant, an access request): every key must be in the catalog
 * (each unknown one is an issue at its path), a scope only on a scoped permission (else `noScope` is said),
 * and with `nonEmpty` at least one. What parses is keyed by `Permission`, as those checks establish.
 */
export function permissionInput<V extends z.ZodType<boolean | PermissionGrant>>(
  value: V,
  rules: { noScope: string; nonEmpty?: string },
): z.ZodType<Partial<Record<Permission, z.output<V>>>> {
  return z.record(z.string().max(64), value).superRefine((map, ctx) => {
    if (rules.nonEmpty !== undefined && Object.keys(map).length === 0) {
      ctx.addIssue({ code: 'custom', message: rules.nonEmpty });
    }
    for (const [key, grant] of Object.entries(map)) {
      const def = PERMISSION_BY_KEY.get(key);
      if (!def) ctx.addIssue({ code: 'custom', path: [key], message: `Unknown permission "${key}"` });
      else if (typeof grant === 'string' && !def.scoped) {
        ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" has no scope: ${rules.noScope}` });
      }
    }
  });
}

export const PermissionInfo = z.object({
  key: z.string(),
  section: z.string(),
  label: z.string(),
  scoped: z.boolean(),
  kind: z.enum(['administrative', 'work']),
  dangerous: z.boolean(),
  warning: z.string().nullable(),
});

export const PermissionCatalogResponse = z
  .object({
    sections: z.array(z.object({ id: z.string(), label: z.string(), permissions: z.array(PermissionInfo) })),
    scopes: z.array(ScopeSchema),
    alwaysAllowed: z.array(z.string()),
  })
  .meta({ id: 'PermissionCatalog' });
