// The authorizer's context as handlers see it (`event.requestContext.authorizer`): strings only, as API
// Gateway passes them. `caller()` turns it back into a typed value and refuses anything incomplete.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { Unauthenticated } from '../errors';
import type { Plan } from '../permissions/plans';
import { WorkspaceRecord } from '../table/workspaces/record';

// Written by our own authorizer; anything unreadable is treated as absent (the handler then reads).
function parseJson<T>(value: string | undefined): T | null {
  if (!value) return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

// The `amr` values, each whole; a context in any other form (an older authorizer's) carries none: fail closed.
const AmrValues = z.array(z.string());
function amrOf(value: string | undefined): string[] {
  const res = z.safeParse(AmrValues, parseJson<unknown>(value));
  return res.success ? res.data : [];
}

// The workspace item the decision was made on, parsed like the item itself: a context cached by an older
// authorizer, or one missing an attribute, is absent rather than a record with holes.
function workspaceOf(value: string | undefined): WorkspaceRecord | null {
  const res = z.safeParse(WorkspaceRecord, parseJson<unknown>(value));
  return res.success ? res.data : null;
}

import type { PermissionSet } from '../permissions/catalog';
import { decodePermissions } from '../permissions/policy';

export interface AuthorizerContext {
  principalType: 'user' | 'apiKey';
  userId?: string;
  email?: string;
  emailVerified?: 'true' | 'false';
  keyHash?: string;
  workspaceId?: string;
  memberId?: string;
  roleId?: string;
  perms?: string;
  planId?: string;
  features?: string;
  companyAdmin?: 'true' | 'false';
  /** The person behind the credential (`Actor` in shared/auth/access.ts); absent from older cached answers. */
  credential?: 'member' | 'companyAdmin' | 'apiKey' | 'scim';
  actorUserId?: string;
  actorMemberId?: string;
  /** The workspace item and plan the decision was made on (JSON): reads use them instead of reading again. */
  workspace?: string;
  plan?: string;
  /** ISO instant the decision's nearest time-bound grant ends (absent: none). */
  grantsEndAt?: string;
  /** User routes: the token's issuer, `idp` claim and `amr` values (a JSON array of strings). */
  issuer?: string;
  idp?: string;
  amr?: string;
}

export interface Caller {
  principalType: 'user' | 'apiKey' | 'anonymous';
  userId: string | null;
  email: string | null;
  emailVerified: boolean;
  keyHash: string | null;
  /** How the user signed in (user routes): issuer, `idp` claim, `amr` values. */
  signIn?: { issuer: string | null; idp: string | null; amr: string[] };
  /** Set on workspace routes. */
  membership: {
    workspaceId: string;
    memberId: string;
    roleId: string;
    permissions: PermissionSet;
    planId: string;
    features: string[];
    companyAdmin: boolean;
    /** The person behind the credential, when the authorizer said (absent from older cached answers). */
    actor: {
      credential: 'member' | 'companyAdmin' | 'apiKey' | 'scim';
      userId: string | null;
      memberId: string | null;
    } | null;
    /** What the authorizer decided on, when it said (absent from older cached answers). */
    workspace: WorkspaceRecord | null;
    plan: Plan | null;
    /** When a time-bound grant the decision counted ends: past it, the decision is not reused. */
    grantsEndAt: string | null;
  } | null;
}

export const ANONYMOUS: Caller = {
  principalType: 'anonymous',
  userId: null,
  email: null,
  emailVerified: false,
  keyHash: null,
  membership: null,
};

export function caller(event: APIGatewayProxyEvent): Caller {
  const ctx = (event.requestContext?.authorizer ?? {}) as Partial<AuthorizerContext>;
  if (ctx.principalType !== 'user' && ctx.principalType !== 'apiKey') throw new Unauthenticated();
  const membership =
    ctx.workspaceId && ctx.memberId && ctx.roleId && ctx.perms !== undefined
      ? {
          workspaceId: ctx.workspaceId,
          memberId: ctx.memberId,
          roleId: ctx.roleId,
          permissions: decodePermissions(ctx.perms),
          planId: ctx.planId ?? '',
          features: ctx.features ? ctx.features.split(',') : [],
          companyAdmin: ctx.companyAdmin === 'true',
          actor: ctx.credential
            ? { credential: ctx.credential, userId: ctx.actorUserId || null, memberId: ctx.actorMemberId || null }
            : null,
          workspace: workspaceOf(ctx.workspace),
          plan: parseJson<Plan>(ctx.plan),
          grantsEndAt: ctx.grantsEndAt || null,
        }
      : null;
  return {
    principalType: ctx.principalType,
    userId: ctx.userId || null,
    email: ctx.email || null,
    emailVerified: ctx.emailVerified === 'true',
    keyHash: ctx.keyHash || null,
    signIn: { issuer: ctx.issuer || null, idp: ctx.idp || null, amr: amrOf(ctx.amr) },
    membership,
  };
}
