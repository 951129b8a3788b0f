// AuthZEN search (subject, resource, action): the candidates of a type, each put to the same single evaluation
// (evaluate.ts), paged with page tokens of the one cursor codec (db/pagination.ts) bound to the request.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Access } from '../access';
import { queryCollectionPage } from '../db/ops';
import { readCursor, writeCursor } from '../db/pagination';
import { Forbidden, InvalidRequest } from '../errors';
import { PERMISSIONS } from '../permissions/catalog';
import { BUILTIN_ROLE_IDS } from '../permissions/roles';
import { TEMPLATES } from '../permissions/templates';
import { CONTACT_PREFIX } from '../table/contacts/keys';
import { CONVERSATION_PREFIX } from '../table/conversations/keys';
import { MEMBER_PREFIX } from '../table/members/keys';
import { wsCollection } from '../table/workspaces/keys';
import { answer, askRefusal, assertMayAsk, mayAskAboutOthers, type Question } from './evaluate';
import { outsideAdmins } from './outside-admins';
import { allApiKeys, allCustomRoles, allInboxes, apiKeyRecordKey, Facts, inboxKey, roleKey } from './repository';
import type { ActionSearchRequest, ResourceSearchRequest, SubjectSearchRequest } from './schema';

// ---- search (pages: `page.token` in, `page.next_token` out, '' at the end)

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

interface PageState {
  /** Offset into an in-memory candidate list. */
  o?: number;
  /** The Query cursor of a paged candidate list. */
  c?: string;
}

/** A page token: the search it belongs to (`h`, a fingerprint of the request without its token) and where it stands. */
const PageToken = z.object({
  h: z.string(),
  o: z.optional(z.int().min(0)),
  c: z.optional(z.string()),
});

function fingerprint(kind: string, body: { page?: { token?: string | undefined } | undefined }): string {
  const { page, ...rest } = body;
  const { token: _token, ...pageRest } = page ?? {};
  return createHash('sha256')
    .update(JSON.stringify([kind, rest, pageRest]))
    .digest('base64url')
    .slice(0, 16);
}

function readToken(kind: string, body: { page?: { token?: string | undefined } | undefined }): PageState {
  const token = body.page?.token;
  if (token === undefined) return {};
  const bad = (message: string) => new InvalidRequest('Invalid page token', [{ path: 'body.page.token', message }]);
  const t = readCursor(token, PageToken, () => bad('Not a token from this search'));
  if (t.h !== fingerprint(kind, body)) {
    throw bad('Not a token from this search: every entity and the limit must be those of the first request');
  }
  return { ...(t.o !== undefined ? { o: t.o } : {}), ...(t.c !== undefined ? { c: t.c } : {}) };
}

function nextToken(kind: string, body: { page?: { token?: string | undefined } | undefined }, state: PageState | null) {
  if (!state) return '';
  return writeCursor({ h: fingerprint(kind, body), ...state });
}

const limitOf = (body: { page?: { limit?: number | undefined } | undefined }) =>
  Math.min(body.page?.limit ?? DEFAULT_LIMIT, MAX_LIMIT);

/**
 * Candidates of a search: a bounded list read whole (inboxes, roles, API keys, actions: every candidate is
 * decided and the passing ones are paged, with a `total`), or one Query page of a collection that grows with
 * the workspace (members, conversations, contacts: the page's candidates are decided, so a page may hold
 * fewer results than the limit, and the token goes on until the collection ends).
 */
type Candidates = { all: string[] } | { page: string[]; next: PageState | null };

async function resourceCandidates(f: Facts, type: string, state: PageState, limit: number): Promise<Candidates> {
  const ws = f.ws;
  switch (type) {
    case 'workspace':
      return { all: [ws.id] };
    case 'inbox': {
      const inboxes = (await allInboxes(ws.id)).sort((a, b) => a.id.localeCompare(b.id));
      for (const i of inboxes) f.prime(inboxKey(ws.id, i.id), { ...i });
      return { all: inboxes.map((i) => i.id) };
    }
    case 'role': {
      const custom = await allCustomRoles(ws.id);
      for (const r of custom) f.prime(roleKey(ws.id, r.id), { ...r });
      return { all: [...BUILTIN_ROLE_IDS, ...TEMPLATES.map((t) => t.id), ...custom.map((r) => r.id)] };
    }
    case 'member':
    case 'conversation':
    case 'contact': {
      const prefix = { member: MEMBER_PREFIX, conversation: CONVERSATION_PREFIX, contact: CONTACT_PREFIX }[type];
      const page = await collectionPage(ws.id, prefix, state, limit);
      for (const item of page.items) f.prime({ PK: String(item.PK), SK: String(item.SK) }, item);
      return { page: page.items.map((i) => String(i.id)), next: page.nextCursor ? { c: page.nextCursor } : null };
    }
    default:
      return { all: [] };
  }
}

function collectionPage(wsId: string, prefix: string, state: PageState, limit: number) {
  return queryCollectionPage(wsCollection(wsId, prefix), { limit, cursor: state.c }, (i) => i);
}

/**
 * The `user` subjects a page of members never names: company admins of the workspace's organization who are not
 * members, the same users the access review lists (`outsideAdmins`: grant holders the authorizer lets in).
 */
async function nonMemberAdmins(f: Facts): Promise<string[]> {
  return (await outsideAdmins(f)).map((a) => a.userId);
}

async function subjectCandidates(f: Facts, type: string, state: PageState, limit: number): Promise<Candidates> {
  const ws = f.ws;
  if (type === 'user' && state.o !== undefined) {
    // Past the members: the company admins who are not members, `o` into their sorted list.
    const admins = await nonMemberAdmins(f);
    const end = state.o + limit;
    return { page: admins.slice(state.o, end), next: end < admins.length ? { o: end } : null };
  }
  if (type === 'member' || type === 'user') {
    const page = await collectionPage(ws.id, MEMBER_PREFIX, state, limit);
    for (const item of page.items) f.prime({ PK: String(item.PK), SK: String(item.SK) }, item);
    let next: PageState | null = page.nextCursor ? { c: page.nextCursor } : null;
    if (!next && type === 'user' && (await nonMemberAdmins(f)).length > 0) next = { o: 0 };
    return {
      page: page.items.map((i) => String(type === 'user' ? i.userId : i.id)),
      next,
    };
  }
  if (type === 'api_key') {
    const keys = (await allApiKeys(ws.id)).sort((a, b) => a.id.localeCompare(b.id));
    for (const k of keys) f.prime(apiKeyRecordKey(ws.id, k.id), { ...k });
    return { all: keys.map((k) => k.id) };
  }
  return { all: [] };
}

/** The candidates that pass the single evaluation, a page of them. */
async function passing(
  access: Access,
  f: Facts,
  candidates: Candidates,
  question: (id: string) => Question,
  state: PageState,
  limit: number,
): Promise<{ ids: string[]; next: PageState | null; total?: number }> {
  const ids = 'all' in candidates ? candidates.all : candidates.page;
  const decisions = await answer(access, ids.map(question), f);
  const passed = ids.filter((_, i) => decisions[i]?.decision === true);
  if ('page' in candidates) return { ids: passed, next: candidates.next };
  const start = state.o ?? 0;
  const end = start + limit;
  return { ids: passed.slice(start, end), next: end < passed.length ? { o: end } : null, total: passed.length };
}

function searchAnswer<T>(
  kind: string,
  body: Parameters<typeof nextToken>[1],
  results: T[],
  page: { next: PageState | null; total?: number },
) {
  return {
    page: {
      next_token: nextToken(kind, body, page.next),
      count: results.length,
      ...(page.total !== undefined ? { total: page.total } : {}),
    },
    results,
  };
}

/** Which subjects of a type may do the action on the resource (asking about others: `teammates.manage`). */
export async function searchSubjects(access: Access, body: SubjectSearchRequest) {
  if (!mayAskAboutOthers(access)) throw new Forbidden(askRefusal, { permission: 'teammates.manage' });
  const state = readToken('subject', body);
  const limit = limitOf(body);
  if (limit === 0) return searchAnswer('subject', body, [], { next: null });
  const f = new Facts(access.workspace);
  const type = body.subject.type;
  const candidates = await subjectCandidates(f, type, state, limit);
  const page = await passing(
    access,
    f,
    candidates,
    (id) => ({ subject: { type, id }, action: body.action, resource: body.resource }),
    state,
    limit,
  );
  return searchAnswer(
    'subject',
    body,
    page.ids.map((id) => ({ type, id })),
    page,
  );
}

/** Which resources of a type the subject may do the action on. */
export async function searchResources(access: Access, body: ResourceSearchRequest) {
  assertMayAsk(access, body.subject);
  const state = readToken('resource', body);
  const limit = limitOf(body);
  if (limit === 0) return searchAnswer('resource', body, [], { next: null });
  const f = new Facts(access.workspace);
  const type = body.resource.type;
  const candidates = await resourceCandidates(f, type, state, limit);
  const page = await passing(
    access,
    f,
    candidates,
    (id) => ({ subject: body.subject, action: body.action, resource: { type, id } }),
    state,
    limit,
  );
  return searchAnswer(
    'resource',
    body,
    page.ids.map((id) => ({ type, id })),
    page,
  );
}

/** What the subject may do on the resource: the catalog's permissions that pass, in catalog order. */
export async function searchActions(access: Access, body: ActionSearchRequest) {
  assertMayAsk(access, body.subject);
  const state = readToken('action', body);
  const limit = limitOf(body);
  if (limit === 0) return searchAnswer('action', body, [], { next: null });
  const f = new Facts(access.workspace);
  const page = await passing(
    access,
    f,
    { all: PERMISSIONS.map((p) => p.key) },
    (name) => ({ subject: body.subject, action: { name }, resource: body.resource }),
    state,
    limit,
  );
  return searchAnswer(
    'action',
    body,
    page.ids.map((name) => ({ name })),
    page,
  );
}
