import type * as z from 'zod';
import type { Area, RouteIdOf } from '../../routes';

export interface OperationContract {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  status: number;
  response: z.ZodType;
  /** Other success statuses answering the same schema, with what they mean (a refreshed invitation is 200). */
  alsoSuccess?: Readonly<Record<number, string>>;
  /** Error statuses beyond the ones every route may answer (shared/api/openapi.ts), with what they mean. */
  errors?: Readonly<Record<number, string>>;
}

/** The schemas of exactly the routes the route table gives one Lambda (area). */
export type AreaContract<A extends Area> = Record<RouteIdOf<A>, OperationContract>;
