// The request and response schemas of every route, by route id: the union of the per-area modules in
// shared/api/areas/, one per Lambda. Each Lambda's handler imports only its own area's module (so its bundle
// builds only its routes' schemas); the OpenAPI document and tests import this whole contract. Joined with
// shared/routes.ts, it gives handlers their validation and types, and the OpenAPI document its content.
// `satisfies` makes a route without a contract, or one filed under another Lambda's area, a compile error.
import * as z from 'zod';
import type { RouteId } from '../routes';
import { accessReview } from './areas/access-review';
import { analytics } from './areas/analytics';
import { apiKeys } from './areas/api-keys';
import type { OperationContract } from './areas/area';
import { audit } from './areas/audit';
import { authz } from './areas/authz';
import { authzen } from './areas/authzen';
import { billing } from './areas/billing';
import { contacts } from './areas/contacts';
import { conversations } from './areas/conversations';
import { docs } from './areas/docs';
import { inboxes } from './areas/inboxes';
import { invitations } from './areas/invitations';
import { lists } from './areas/lists';
import { members } from './areas/members';
import { organizations } from './areas/organizations';
import { permissions } from './areas/permissions';
import { roles } from './areas/roles';
import { scim } from './areas/scim';
import { scimTokens } from './areas/scim-tokens';
import { tags } from './areas/tags';
import { teams } from './areas/teams';
import { workspaces } from './areas/workspaces';

export type { AreaContract, OperationContract } from './areas/area';
export { MeResponse, RoleGrant, RoleSummary } from './areas/workspaces';

export const contract = {
  ...accessReview,
  ...analytics,
  ...apiKeys,
  ...audit,
  ...authz,
  ...authzen,
  ...billing,
  ...contacts,
  ...conversations,
  ...docs,
  ...inboxes,
  ...invitations,
  ...lists,
  ...members,
  ...organizations,
  ...permissions,
  ...roles,
  ...scim,
  ...scimTokens,
  ...tags,
  ...teams,
  ...workspaces,
} as const satisfies Record<RouteId, OperationContract>;

export type Contract = typeof contract;
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
export type OpInput<R extends RouteId> = {
  params: Infer<Contract[R] extends { params: infer P } ? P : undefined>;
  query: Infer<Contract[R] extends { query: infer Q } ? Q : undefined>;
  body: Infer<Contract[R] extends { body: infer B } ? B : undefined>;
};
export type OpOutput<R extends RouteId> = z.infer<Contract[R]['response']>;

export const ErrorResponse = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
        permission: z.string().optional(),
        feature: z.string().optional(),
        limit: z.string().optional(),
      })
      .loose(),
  })
  .meta({ id: 'Error' });
