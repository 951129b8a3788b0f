// Analytics counters (pure key builders), one small item per (UTC day, inbox) and (UTC day, member):
// - `WS#ws / STAT#<yyyy-mm-dd>#INBOX#<inbox>`: conversations CREATED that day in that inbox, by status now
//   (`open`, `archived`): a conversation stays counted under its creation day, wherever its status goes;
// - `WS#ws / STAT#<yyyy-mm-dd>#MEMBER#<member>`: messages that member sent that day (`sent`).
// A window `from..to` is one Query: `SK BETWEEN STAT#<from> AND STAT#<to>#~`.
import { wsPk } from '../workspaces/keys';

export const STAT_PREFIX = 'STAT#';
export const dayOf = (iso: string) => iso.slice(0, 10);

export const inboxDayKey = (wsId: string, day: string, inboxId: string) => ({
  PK: wsPk(wsId),
  SK: `${STAT_PREFIX}${day}#INBOX#${inboxId}`,
});
export const memberDayKey = (wsId: string, day: string, memberId: string) => ({
  PK: wsPk(wsId),
  SK: `${STAT_PREFIX}${day}#MEMBER#${memberId}`,
});
export const windowBounds = (from: string, to: string) => ({
  start: `${STAT_PREFIX}${from}`,
  end: `${STAT_PREFIX}${to}#~`,
});
