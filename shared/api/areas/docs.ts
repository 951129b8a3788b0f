// The schemas of the docs Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import type { AreaContract } from './area';

export const docs = {
  getOpenApi: { status: 200, response: z.record(z.string(), z.unknown()) },
} as const satisfies AreaContract<'docs'>;
