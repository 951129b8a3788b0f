import * as z from 'zod';
import { SECTIONS, type SectionId } from '../permissions/catalog';
import { permissionInput, ScopeSchema } from '../permissions/schema';
import { DisplayName } from '../text/display-name';
import { Role } from './role';

export { Role };

const SECTION_IDS = SECTIONS.map((s) => s.id) as [SectionId, ...SectionId[]];

/** `permissions` input: true, a scope (scoped permissions only), or false to remove. */
export const PermissionsInput = permissionInput(z.union([z.boolean(), ScopeSchema]), { noScope: 'use true or false' });

export const SectionsInput = z.partialRecord(z.enum(SECTION_IDS), z.enum(['full', 'none']));

/** A section may also be given inside `permissions` as `{"sections": {...}}`: lift it to the top. */
function liftSections(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  const perms = b.permissions as Record<string, unknown> | undefined;
  if (!perms || typeof perms !== 'object' || Array.isArray(perms) || !('sections' in perms)) return body;
  const { sections, ...rest } = perms;
  const top = b.sections && typeof b.sections === 'object' ? (b.sections as Record<string, unknown>) : {};
  return { ...b, permissions: rest, sections: { ...(sections as Record<string, unknown>), ...top } };
}

const RoleName = DisplayName.max(60);
const Description = z.string().trim().max(500);
const RoleRef = z.string().min(1).max(64);

export const CreateRoleBody = z.preprocess(
  liftSections,
  z.strictObject({
    name: RoleName,
    description: Description.optional(),
    permissions: PermissionsInput.optional(),
    sections: SectionsInput.optional(),
    cloneFrom: RoleRef.optional(),
  }),
);
export type CreateRoleBody = z.infer<typeof CreateRoleBody>;

export const UpdateRoleBody = z.preprocess(
  liftSections,
  z
    .strictObject({
      name: RoleName.optional(),
      description: Description.optional(),
      permissions: PermissionsInput.optional(),
      sections: SectionsInput.optional(),
      cloneFrom: RoleRef.optional(),
      /** Optimistic concurrency: the version read; a stale one is a 409. */
      version: z.number().int().positive().optional(),
    })
    .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'Give at least one field to change'),
);
export type UpdateRoleBody = z.infer<typeof UpdateRoleBody>;

export const RoleParams = z.object({ ws: z.string().min(1).max(64), roleId: RoleRef });
export const DeleteRoleQuery = z.strictObject({ reassignTo: RoleRef.optional() });

export const RoleList = z.object({ items: z.array(Role), nextCursor: z.string().nullable() }).meta({ id: 'RoleList' });
