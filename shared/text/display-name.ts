// The display-name rule every named thing shares (workspaces, roles, teams, inboxes, tags, contacts and lists, API
// keys, organizations, SCIM groups): here, below the schemas that use it, so none imports another domain's schema
// for it.
import * as z from 'zod';
import { nameKey } from './skeleton';

/** A display name: trimmed, 1–100 characters, no control characters, not only blank look-alikes (`ㅤ`, `⠀`). */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters')
  .refine((name) => nameKey(name) !== '', 'must contain a visible character');
