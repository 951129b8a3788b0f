import { z } from 'zod';

export const ScopeSchema = z.enum(['all', 'groups', 'assigned']);

/** Held permissions: key → `true`, or the scope of a scoped permission. */
export const PermissionMap = z
  .partialRecord(z.string(), z.union([z.literal(true), ScopeSchema]))
  .meta({ id: 'PermissionMap', example: { 'messages.view': 'groups', 'contacts.update': true } });

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
