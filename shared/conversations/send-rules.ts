// What every outgoing message must pass, called by the conversations service before a message is sent
// (not for internal comments). Filled in by the contacts/lists side (shared/lists/service.ts):
// - the conversation's contact opted out (PUT .../opt-outs) → 409 `opted_out` (OptedOut, with contactId);
// - the body contains a restricted word (PUT .../restricted-words), whole word, case-insensitive
//   ("Scam" is refused, "scampi" is not) → 422 `restricted_word` naming `word` (RestrictedWord).
// Costs one strongly consistent BatchGetItem of the two lists.
import { assertMaySend } from '../lists/service';

/** `ws`: the workspace id, or the workspace record (anything with its `id`). */
export async function checkOutgoing(
  ws: string | { id: string },
  conversation: { contactId: string | null },
  body: string,
): Promise<void> {
  await assertMaySend(typeof ws === 'string' ? ws : ws.id, conversation.contactId, body);
}
