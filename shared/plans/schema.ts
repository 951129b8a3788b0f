import * as z from 'zod';

export const PlanView = z
  .object({
    id: z.string(),
    features: z.array(z.string()),
    limits: z.object({ customRoles: z.number().nullable(), seats: z.number().nullable() }),
  })
  .meta({ id: 'PlanEntitlements' });

export const ChangePlanBody = z.strictObject({ plan: z.string().min(1).max(40) });
