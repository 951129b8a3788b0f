// Workspace lists with an effect: attributes (the keys and types contacts may carry), opt-outs (contacts
// no message is sent to) and restricted words (no message contains them). Each PUT replaces the list
// whole, audited in the same transaction, on the condition of the version read.

import type { Access } from '../access';
import type { TransactItem } from '../db/ops';
import { InvalidRequest, NotFound, OptedOut, RestrictedWord } from '../errors';
import { type ContactViewer, seesContact } from '../permissions/policy';
import { actorOf, auditItem } from '../table/audit/entry';
import { type ListValue, MAX_OPT_OUT_CHANGES } from '../table/contacts/lists';
import type { ListName } from '../table/lists/keys';
import { nameKey } from '../text/skeleton';
import * as repo from './list-repository';
import type { AttributeDef } from './list-schema';
import { getContacts } from './repository';
import { viewerOf } from './service';

const audit = (access: Access, name: ListName, before: unknown, after: unknown) =>
  auditItem({
    workspaceId: access.workspace.id,
    actor: actorOf(access),
    action: `list.${name}.replace`,
    target: { type: 'workspaceList', id: name },
    before,
    after,
  });

async function replace<N extends ListName>(
  access: Access,
  name: N,
  values: ListValue<N>,
  /** Refuses the change (throws) or answers what else its transaction writes. */
  check?: (before: ListValue<N>) => Promise<TransactItem[]>,
) {
  const before = await repo.getList(access.workspace.id, name, true);
  const also = (await check?.(before.values)) ?? [];
  await repo.putList(
    access.workspace.id,
    name,
    values,
    before.version,
    audit(access, name, before.values, values),
    also,
  );
}

export async function getAttributes(access: Access): Promise<{ attributes: AttributeDef[] }> {
  return { attributes: (await repo.getList(access.workspace.id, 'attributes')).values };
}

export async function putAttributes(
  access: Access,
  attributes: AttributeDef[],
): Promise<{ attributes: AttributeDef[] }> {
  await replace(access, 'attributes', attributes);
  return { attributes };
}

/** Of the contacts `ids`, those the viewer sees (contacts' own rule, the policy's `seesContact`). */
async function seen(access: Access, viewer: ContactViewer, ids: readonly string[], consistent: boolean) {
  if (viewer.all && !consistent) return new Set(ids);
  const contacts = await getContacts(access.workspace.id, ids, consistent);
  return new Set(contacts.filter((c) => seesContact(viewer, c)).map((c) => c.id));
}

/**
 * The opt-out list as the caller sees it: under `contactsVisibility: private`, only the contacts it can see (the
 * list must not reveal the ids of the others).
 */
export async function getOptOuts(access: Access): Promise<{ contactIds: string[] }> {
  const [{ values }, viewer] = await Promise.all([repo.getList(access.workspace.id, 'optOuts'), viewerOf(access)]);
  const visible = await seen(access, viewer, values, false);
  return { contactIds: values.filter((id) => visible.has(id)) };
}

/**
 * Every contact added must be one the caller sees (another workspace's id, or one hidden by `contactsVisibility:
 * private`, is a 404, nothing written), as reading it would be. The PUT replaces the part of the list the caller
 * sees: entries of contacts it cannot see stay (it cannot name them, so it cannot mean to remove them).
 * A contact deleted meanwhile moves the list's version (see contacts' delete), so this write then fails.
 * Each contact added or removed has its marker written or deleted in the same transaction (what a send checks),
 * so at most MAX_OPT_OUT_CHANGES of them per PUT (400 beyond, nothing written).
 */
export async function putOptOuts(access: Access, contactIds: string[]): Promise<{ contactIds: string[] }> {
  const wsId = access.workspace.id;
  const asked = [...new Set(contactIds)];
  const [before, viewer] = await Promise.all([repo.getList(wsId, 'optOuts', true), viewerOf(access)]);
  const visible = viewer.all ? new Set(before.values) : await seen(access, viewer, before.values, true);
  const ids = [...before.values.filter((id) => !visible.has(id) && !asked.includes(id)), ...asked];
  const added = ids.filter((id) => !before.values.includes(id));
  const removed = before.values.filter((id) => !ids.includes(id));
  if (added.length + removed.length > MAX_OPT_OUT_CHANGES) {
    throw new InvalidRequest('The request is not valid', [
      {
        path: 'body.contactIds',
        message: `At most ${MAX_OPT_OUT_CHANGES} contacts may be added to or removed from the opt-out list in one request (this one changes ${added.length + removed.length}); send the change in several requests`,
      },
    ]);
  }
  // Every id named must be a contact the caller sees, listed already or not.
  const unseen = asked.filter((id) => !visible.has(id));
  const found = await seen(access, viewer, unseen, true);
  if (unseen.some((id) => !found.has(id))) throw new NotFound('Contact');
  await repo.putList(
    wsId,
    'optOuts',
    ids,
    before.version,
    audit(access, 'optOuts', before.values, ids),
    repo.optOutMarkerChanges(wsId, added, removed),
  );
  return { contactIds: asked };
}

export async function getRestrictedWords(access: Access): Promise<{ words: string[] }> {
  return { words: (await repo.getList(access.workspace.id, 'restrictedWords')).values };
}

/**
 * Words that compare alike (case, compatibility forms, inner blanks, invisible characters, look-alikes) are one
 * word: the first is kept.
 */
export async function putRestrictedWords(access: Access, words: string[]): Promise<{ words: string[] }> {
  const seen = new Set<string>();
  const kept = words.filter((w) => {
    const k = foldWord(w);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  await replace(access, 'restrictedWords', kept);
  return { words: kept };
}

/**
 * How words and messages compare: the skeleton role and team names are compared by (shared/text/skeleton.ts):
 * compatibility forms (fullwidth letters…), lower case, single spaces, invisible characters dropped (a zero-width
 * space, word joiner, soft hyphen or joiner inside a word no longer hides it) and look-alikes of Latin letters
 * read as those letters (Cyrillic `bitcоin`, `ѕсаm`). One fold for both sides, so a word listed with look-alikes
 * is found in plain text too, and words that read alike are one word.
 */
export function foldWord(s: string): string {
  return nameKey(s);
}

const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';

/**
 * The restricted word the text contains as a whole word (not inside a longer word: "scam" is in
 * "Scam!" but not in "scampi"), case-insensitively; the one that comes first in the text.
 */
export function findRestrictedWord(text: string, words: readonly string[]): string | undefined {
  const folded = foldWord(text);
  let best: { word: string; at: number } | undefined;
  for (const word of words) {
    const w = foldWord(word);
    if (!w) continue;
    const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
    const m = new RegExp(`(?<!${WORD_CHAR})${escaped}(?!${WORD_CHAR})`, 'u').exec(folded);
    if (m && (!best || m.index < best.at)) best = { word, at: m.index };
  }
  return best?.word;
}

/**
 * What a message must pass before it is sent (conversations call it through send-rules.ts): the contact
 * has not opted out (409 `opted_out`), and the body has no restricted word (422 `restricted_word`).
 * One strongly consistent read of both lists. Returns the condition the send's transaction must carry: its
 * contact's opt-out marker is absent, so a send racing an opt-out commits before it or fails and is decided
 * again on the new list (a message never goes to a contact after its opt-out committed). Restricted words are
 * decided on the list as read, with no condition: every send of a workspace would otherwise name the one list
 * item, and in DynamoDB concurrent transactions on one item cancel each other; a word takes effect for the sends
 * that read the list after it committed (a send decided an instant before may still go out).
 */
export async function assertMaySend(wsId: string, contactId: string | null, body: string): Promise<TransactItem[]> {
  return assertMaySendOn(wsId, await repo.getSendLists(wsId), contactId, body);
}

/** The keys `assertMaySendWith` needs read (strongly consistent), for a caller that batches them with its own reads. */
export const sendRuleKeys = (wsId: string): { PK: string; SK: string }[] => repo.sendListKeys(wsId);

/**
 * `assertMaySend` on the two list items already read (a batch that asked for `sendRuleKeys(wsId)`; an absent
 * item is a list never written). Costs no round trip.
 */
export function assertMaySendWith(
  wsId: string,
  items: readonly Record<string, unknown>[],
  contactId: string | null,
  body: string,
): TransactItem[] {
  return assertMaySendOn(wsId, repo.sendListsFrom(wsId, items), contactId, body);
}

function assertMaySendOn(
  wsId: string,
  lists: { optOuts: repo.StoredList<'optOuts'>; restrictedWords: repo.StoredList<'restrictedWords'> },
  contactId: string | null,
  body: string,
): TransactItem[] {
  // The list, not the marker, decides the answer: it also holds contacts listed before markers existed.
  if (contactId !== null && lists.optOuts.values.includes(contactId)) throw new OptedOut(contactId);
  const word = findRestrictedWord(body, lists.restrictedWords.values);
  if (word !== undefined) throw new RestrictedWord(word);
  return contactId !== null ? [repo.contactNotOptedOut(wsId, contactId)] : [];
}
