// Contacts (Clerk Chat). Who sees one follows the workspace setting `contactsVisibility`:
// - `team`: every member;
// - `private`: its creator and the members who can see an inbox the contact has talked to (had a
//   conversation in: recorded by conversations through `contactTalkedToInbox`). The Owner and company
//   admins see every contact. A contact you cannot see is 404, for reads and writes alike.
// Every change is audited in the same transaction.
import * as z from 'zod';
import type { Access } from '../access';
import type { TransactItem } from '../db/ops';
import { type Page, readCursor, writeAfterCursor } from '../db/pagination';
import { InvalidRequest, type Issue, NotFound } from '../errors';
import { newId } from '../ids';
import { listInboxes } from '../inboxes/repository';
import { getMember } from '../members/repository';
import { canSee } from '../permissions/inbox-visibility';
import { type ContactViewer, seesContact, seesEveryContact } from '../permissions/policy';
import { actorOf, auditItem } from '../table/audit/entry';
import { getTeam } from '../teams/repository';
import { toCsv } from '../text/csv';
import { getList, listWrite, optOutMarkerChanges } from './list-repository';
import type { AttributeDef } from './list-schema';
import * as repo from './repository';
import type { Contact, ContactRecord, CreateContactBody, UpdateContactBody } from './schema';

type AttributeValues = ContactRecord['attributes'];

/** Values of attributes the workspace defines, with the type it defines (removed definitions hide theirs). */
function definedValues(values: AttributeValues, defs: readonly AttributeDef[]): AttributeValues {
  const out: AttributeValues = {};
  for (const d of defs) {
    const v = values[d.key];
    if (v !== undefined && fitsType(v, d.type)) out[d.key] = v;
  }
  return out;
}

const IsoDate = z.iso.date();
function fitsType(v: string | number | boolean, type: AttributeDef['type']): boolean {
  switch (type) {
    case 'text':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && IsoDate.safeParse(v).success;
  }
}

/** Each value must be of a defined attribute, with its type; a 400 names every one that is not. */
function checkValues(values: Record<string, unknown>, defs: readonly AttributeDef[]) {
  const issues: Issue[] = [];
  for (const [key, v] of Object.entries(values)) {
    const def = defs.find((d) => d.key === key);
    const path = `body.attributes.${key}`;
    if (!def)
      issues.push({ path, message: `No attribute "${key}" in this workspace (PUT .../attributes defines them)` });
    else if (v !== null && !fitsType(v as string | number | boolean, def.type)) {
      issues.push({
        path,
        message: `"${key}" is a ${def.type}${def.type === 'date' ? ' (YYYY-MM-DD)' : ''}`,
      });
    }
  }
  if (issues.length > 0) throw new InvalidRequest('Unknown or mistyped attributes', issues);
}

function toContact(c: ContactRecord, defs: readonly AttributeDef[]): Contact {
  return {
    id: c.id,
    name: c.name,
    ...(c.email !== null ? { email: c.email } : {}),
    ...(c.phone !== null ? { phone: c.phone } : {}),
    blocked: c.blocked,
    createdBy: c.createdBy,
    attributes: definedValues(c.attributes, defs),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

const attributeDefs = async (access: Access, consistent = false) =>
  (await getList(access.workspace.id, 'attributes', consistent)).values;

const audit = (access: Access, action: string, id: string, before: Contact | null, after: Contact | null) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action,
    target: { type: 'contact', id },
    before,
    after,
  });

/** Who sees which contacts (the policy's ContactViewer) for this caller, read fresh. */
export async function viewerOf(access: Access): Promise<ContactViewer> {
  if (seesEveryContact(access.workspace.settings, access)) return { all: true };
  const wsId = access.workspace.id;
  const [inboxes, member] = await Promise.all([listInboxes(wsId), getMember(wsId, access.memberId, true)]);
  const teams = await Promise.all((member?.teamIds ?? []).map((id) => getTeam(wsId, id)));
  const reach = new Set([...(member?.inboxIds ?? []), ...teams.flatMap((t) => t?.inboxIds ?? [])]);
  return {
    all: false,
    memberId: access.memberId,
    inboxIds: new Set(inboxes.filter((i) => canSee(access, i, reach)).map((i) => i.id)),
  };
}

/**
 * A contact the caller can see, read strongly consistent (writes decide on it), or 404: for its own writes and for
 * a write elsewhere that names it (linking a contact the caller cannot see would make it visible).
 */
export async function visibleOr404(access: Access, contactId: string): Promise<ContactRecord> {
  const [c, viewer] = await Promise.all([repo.getContact(access.workspace.id, contactId, true), viewerOf(access)]);
  if (!c || !seesContact(viewer, c)) throw new NotFound('Contact');
  return c;
}

/** Whether the caller can see this contact (authz check of a `contact` resource). */
export async function contactVisibleTo(access: Access, contactId: string): Promise<boolean> {
  const [c, viewer] = await Promise.all([repo.getContact(access.workspace.id, contactId), viewerOf(access)]);
  return c !== undefined && seesContact(viewer, c);
}

const AfterId = z.object({ after: z.string().min(1).max(64) });
const decodeAfter = (cursor: string | undefined): string | undefined =>
  cursor === undefined ? undefined : readCursor(cursor, AfterId).after;

/**
 * One page of the contacts a `private` viewer sees: the ids of the creator's contacts and of each visible
 * inbox's contacts (GSI1, in id order, `limit` from each), merged; a page costs (1 + visible inboxes)
 * queries of at most `limit` keys and one batch read, whatever the workspace holds.
 */
async function privatePage(
  access: Access,
  viewer: Extract<ContactViewer, { all: false }>,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<ContactRecord>> {
  const after = decodeAfter(page.cursor);
  const sources: repo.ContactSource[] = [
    { creator: viewer.memberId },
    ...[...viewer.inboxIds].map((inbox) => ({ inbox })),
  ];
  const found = await Promise.all(sources.map((s) => repo.contactIdsOf(access.workspace.id, s, after, page.limit)));
  const ids = [...new Set(found.flatMap((f) => f.ids))].sort();
  const pageIds = ids.slice(0, page.limit);
  const more = ids.length > page.limit || found.some((f) => f.more);
  const contacts = (await repo.getContacts(access.workspace.id, pageIds))
    .filter((c) => seesContact(viewer, c))
    .sort((a, b) => a.id.localeCompare(b.id));
  const last = pageIds[pageIds.length - 1];
  return {
    items: contacts,
    nextCursor: more && last ? writeAfterCursor(last) : null,
  };
}

async function pageFor(access: Access, viewer: ContactViewer, page: { limit: number; cursor?: string | undefined }) {
  return viewer.all ? repo.listContacts(access.workspace.id, page) : privatePage(access, viewer, page);
}

export async function listContacts(access: Access, page: { limit: number; cursor?: string | undefined }) {
  const [viewer, defs] = await Promise.all([viewerOf(access), attributeDefs(access)]);
  const p = await pageFor(access, viewer, page);
  return { items: p.items.map((c) => toContact(c, defs)), nextCursor: p.nextCursor };
}

export async function getContact(access: Access, contactId: string): Promise<Contact> {
  const [c, defs] = await Promise.all([visibleOr404(access, contactId), attributeDefs(access)]);
  return toContact(c, defs);
}

export async function createContact(access: Access, input: CreateContactBody): Promise<Contact> {
  const defs = await attributeDefs(access, true);
  checkValues(input.attributes ?? {}, defs);
  const now = new Date().toISOString();
  const c: ContactRecord = {
    id: newId('ct'),
    workspaceId: access.workspace.id,
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    blocked: false,
    createdBy: access.memberId,
    attributes: input.attributes ?? {},
    inboxIds: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const view = toContact(c, defs);
  await repo.createContact(c, audit(access, 'contact.create', c.id, null, view));
  return view;
}

async function change(
  access: Access,
  contactId: string,
  action: string,
  edit: (c: ContactRecord, defs: readonly AttributeDef[]) => Partial<ContactRecord> | null,
): Promise<Contact> {
  const [before, defs] = await Promise.all([visibleOr404(access, contactId), attributeDefs(access, true)]);
  const patch = edit(before, defs);
  if (patch === null) return toContact(before, defs);
  const after: ContactRecord = {
    ...before,
    ...patch,
    version: before.version + 1,
    updatedAt: new Date().toISOString(),
  };
  const view = toContact(after, defs);
  await repo.updateContact(before, after, audit(access, action, contactId, toContact(before, defs), view));
  return view;
}

export function updateContact(access: Access, contactId: string, input: UpdateContactBody): Promise<Contact> {
  return change(access, contactId, 'contact.update', (before, defs) => {
    let attributes = before.attributes;
    if (input.attributes) {
      checkValues(input.attributes, defs);
      attributes = { ...before.attributes };
      for (const [k, v] of Object.entries(input.attributes)) {
        if (v === null) delete attributes[k];
        else attributes[k] = v;
      }
    }
    return {
      name: input.name ?? before.name,
      email: input.email === undefined ? before.email : input.email,
      phone: input.phone === undefined ? before.phone : input.phone,
      attributes,
    };
  });
}

/** Blocking a blocked contact (or unblocking an unblocked one) changes nothing and answers the contact. */
export function setBlocked(access: Access, contactId: string, blocked: boolean): Promise<Contact> {
  return change(access, contactId, blocked ? 'contact.block' : 'contact.unblock', (before) =>
    before.blocked === blocked ? null : { blocked },
  );
}

/** Links past this many are deleted ahead of the contact's own transaction (≤ 100 items). */
const LINKS_IN_DELETE = 90;

/**
 * Deletes the contact, its "talked to" links and its place in the opt-out list (and its opt-out marker,
 * whether it was listed or not: deleting nothing is fine). The opt-out list's
 * version moves in the same transaction even when the contact was not in it, so an opt-out PUT that
 * checked this contact meanwhile fails rather than keep its id. Conversations keep their `contactId`
 * (their history), which no longer resolves.
 */
export async function deleteContact(access: Access, contactId: string): Promise<void> {
  const wsId = access.workspace.id;
  const [c, defs, optOuts] = await Promise.all([
    visibleOr404(access, contactId),
    attributeDefs(access),
    getList(wsId, 'optOuts', true),
  ]);
  const also: TransactItem[] = [
    listWrite(
      wsId,
      'optOuts',
      optOuts.values.filter((id) => id !== contactId),
      optOuts.version,
    ),
    ...optOutMarkerChanges(wsId, [], [contactId]),
  ];
  await repo.deleteContact(
    { ...c, inboxIds: c.inboxIds.slice(0, LINKS_IN_DELETE) },
    also,
    audit(access, 'contact.delete', contactId, toContact(c, defs), null),
  );
  if (c.inboxIds.length > LINKS_IN_DELETE) await repo.deleteLinks(wsId, contactId, c.inboxIds.slice(LINKS_IN_DELETE));
}

const EXPORT_MAX = 50_000;

/** Every contact the caller sees as CSV (formula-safe cells: shared/text/csv.ts), one column per attribute. */
export async function exportContacts(access: Access): Promise<{ body: string; contentType: string }> {
  const [viewer, defs] = await Promise.all([viewerOf(access), attributeDefs(access)]);
  const rows: unknown[][] = [];
  let cursor: string | undefined;
  do {
    const page = await pageFor(access, viewer, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const rec of page.items) {
      const c = toContact(rec, defs);
      rows.push([
        c.id,
        c.name,
        c.email,
        c.phone,
        c.blocked,
        c.createdBy,
        c.createdAt,
        c.updatedAt,
        ...defs.map((d) => c.attributes[d.key]),
      ]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < EXPORT_MAX);
  const header = [
    'id',
    'name',
    'email',
    'phone',
    'blocked',
    'createdBy',
    'createdAt',
    'updatedAt',
    ...defs.map((d) => `attributes.${d.key}`),
  ];
  return { body: toCsv(header, rows), contentType: 'text/csv; charset=utf-8' };
}
