// SCIM's error schema (RFC 7644 §3.12) for every answer of the SCIM routes, 401 included: this API's typed
// errors are mapped here, so services shared with the rest of the API (guard, seats, deactivation) speak SCIM.
import { AppError, PlanLimit } from '../errors';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const invalidValue = (detail: string) => new ScimError(400, detail, 'invalidValue');
export const invalidFilter = (detail: string) => new ScimError(400, detail, 'invalidFilter');
export const invalidPath = (detail: string) => new ScimError(400, detail, 'invalidPath');
export const uniqueness = (detail: string) => new ScimError(409, detail, 'uniqueness');
export const notFound = (what: string) => new ScimError(404, `${what} not found`);

/**
 * SCIM's answer to a plan with no seat left, whichever path met it (a create, a reactivation by PATCH or PUT): the
 * seats module's refusal (PlanLimit `limit: seats`) as 409 tooMany, what identity providers read as "retry later".
 */
export function seatRefusal(err: unknown): unknown {
  if (err instanceof PlanLimit && err.details.limit === 'seats') return new ScimError(409, err.message, 'tooMany');
  return err;
}

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** Any error as SCIM's body; unknown errors are a 500 that shows nothing. */
export function toScimError(err: unknown): { status: number; body: ScimErrorBody; headers: Record<string, string> } {
  let status = 500;
  let detail = 'Internal error';
  let scimType: ScimType | undefined;
  let headers: Record<string, string> = {};
  if (err instanceof ScimError) {
    status = err.status;
    detail = err.message;
    scimType = err.scimType;
    headers = err.headers;
  } else if (err instanceof AppError) {
    status = err.statusCode;
    detail = err.expose ? err.message : 'Internal error';
    headers = err.headers;
    if (err.code === 'invalid_request') {
      scimType = 'invalidValue';
      const issues = (err.details.issues as { path: string; message: string }[] | undefined) ?? [];
      if (issues.length > 0) detail = `${detail}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`;
    }
    if (err.code === 'forbidden' && Array.isArray(err.details.exceeds)) detail = `${detail}`;
  }
  return {
    status,
    body: { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail },
    headers,
  };
}
