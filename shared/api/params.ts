import * as z from 'zod';

/** `{ws}`: the path parameter of every workspace route. Its own module, so an area's schemas load without the
 * workspaces domain's (the billing and access-review bundles built ~120 schemas for this one). */
export const WorkspaceIdParams = z.object({ ws: z.string().min(1).max(64) });
