// What every outgoing message must pass, called by the conversations service before a message is sent
// (not for internal comments). Filled in by the contacts/lists side (shared/contacts/list-service.ts):
// - the conversation's contact opted out (PUT .../opt-outs) → 409 `opted_out` (OptedOut, with contactId);
// - the body contains a restricted word (PUT .../restricted-words), whole word, case-insensitive
//   ("Scam" is refused, "scampi" is not) → 422 `restricted_word` naming `word` (RestrictedWord).
// `checkOutgoing` costs one strongly consistent BatchGetItem of the two lists; the send route instead reads
// `outgoingKeys` in the same batch as its fresh access check and calls `checkOutgoingWith` (no round trip).
// Both return the condition the send's transaction must carry: the conversation's contact has no opt-out marker
// (a per-contact item, so sends of a workspace do not contend on one item); restricted words are decided on the
// list as read.

import { assertMaySend, assertMaySendWith, sendRuleKeys } from '../contacts/list-service';
import type { TransactItem } from '../db/ops';

const idOf = (ws: string | { id: string }) => (typeof ws === 'string' ? ws : ws.id);

/** `ws`: the workspace id, or the workspace record (anything with its `id`). */
export async function checkOutgoing(
  ws: string | { id: string },
  conversation: { contactId: string | null },
  body: string,
): Promise<TransactItem[]> {
  return assertMaySend(idOf(ws), conversation.contactId, body);
}

/** The items `checkOutgoingWith` needs, to be read strongly consistently with the caller's other reads. */
export function outgoingKeys(ws: string | { id: string }): { PK: string; SK: string }[] {
  return sendRuleKeys(idOf(ws));
}

/**
 * `checkOutgoing` on items already read by a batch that asked for `outgoingKeys(ws)` (an absent list item is a
 * list never written, hence empty). Only for such items: items of a batch that did not ask would pass anything.
 */
export function checkOutgoingWith(
  ws: string | { id: string },
  read: readonly Record<string, unknown>[],
  conversation: { contactId: string | null },
  body: string,
): TransactItem[] {
  return assertMaySendWith(idOf(ws), read, conversation.contactId, body);
}
