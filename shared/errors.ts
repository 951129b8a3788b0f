// Typed errors. Services throw them; the error mapper turns them into the contract's error body.
import type { Permission, Scope } from './permissions/catalog';

export interface ErrorBody {
  error: { code: string; message: string } & Record<string, unknown>;
}

export class AppError extends Error {
  readonly statusCode: number;
  readonly code: string;
  /** Whether the message and details may be shown to the client. */
  readonly expose: boolean;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    options: { expose?: boolean; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.statusCode = statusCode;
    this.code = code;
    this.expose = options.expose ?? statusCode < 500;
    this.details = details;
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    if (!this.expose) return { error: { code: this.code, message: 'Internal error' } };
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export interface Issue {
  path: string;
  message: string;
}

export class InvalidRequest extends AppError {
  constructor(message: string, issues: Issue[] = []) {
    super(400, 'invalid_request', message, { issues });
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Missing or invalid credentials') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message: string, details: { permission?: Permission; scope?: Scope; exceeds?: unknown } = {}) {
    super(403, 'forbidden', message, details);
  }
}

export class PlanLimit extends AppError {
  constructor(message: string, details: { feature: string } | { limit: string; max: number | null }) {
    super(403, 'plan_limit', message, details);
  }
}

export class NotFound extends AppError {
  constructor(what = 'Resource') {
    super(404, 'not_found', `${what} not found`);
  }
}

export class Conflict extends AppError {
  constructor(message = 'The resource changed or already exists', details: Record<string, unknown> = {}) {
    super(409, 'conflict', message, details);
  }
}

/** A team (or a member's role) the identity provider manages through SCIM: it changes only through SCIM. */
export class ManagedByScim extends AppError {
  constructor(what: string) {
    super(409, 'managed_by_scim', `${what} is managed by the identity provider (SCIM): change it there`);
  }
}

/** Sending to a contact who opted out of messages (PUT .../opt-outs). */
export class OptedOut extends AppError {
  constructor(contactId: string) {
    super(409, 'opted_out', 'The contact opted out of messages: nothing is sent to them', { contactId });
  }
}

/** A message containing one of the workspace's restricted words (whole word, case-insensitive). */
export class RestrictedWord extends AppError {
  constructor(word: string) {
    super(422, 'restricted_word', `The message contains the restricted word "${word}"`, { word });
  }
}

/**
 * A conversation of a shared inbox asked to move into a personal inbox (POST .../move): there it would be wholly
 * its owner's, out of everyone else's reach (the Owner's included), so it never goes.
 */
export class SharedToPersonal extends AppError {
  constructor() {
    super(409, 'shared_to_personal', 'A conversation of a shared inbox never moves into a personal inbox');
  }
}

/** An invitation rule of the workspace (`inviteDomains`, `requireIdentityProvider`) refuses it: 422 naming it. */
export class InviteRuleViolated extends AppError {
  constructor(
    rule: 'inviteDomains' | 'requireIdentityProvider',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(422, 'invite_rule', message, { rule, ...details });
  }
}

export class PayloadTooLarge extends AppError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes`, { maxBytes });
  }
}

export class Throttled extends AppError {
  constructor() {
    super(429, 'throttled', 'Too many requests');
  }
}

export class Unavailable extends AppError {
  constructor(message = 'The service is temporarily unavailable', retryAfterSeconds = 1, cause?: unknown) {
    super(
      503,
      'unavailable',
      message,
      {},
      { expose: true, headers: { 'Retry-After': String(retryAfterSeconds) }, cause },
    );
  }
}

export class InternalError extends AppError {
  constructor(cause?: unknown) {
    super(500, 'internal', 'Internal error', {}, { expose: false, cause });
  }
}
