// Sort keys that start with an instant (`<ISO>#…`), as the grant-expiry index and access requests by status use:
// instants are `toISOString()` (fixed width), so string order is time order.

/**
 * The bound between sort keys `<iso>#…` at or before `nowIso` and those after it: every key whose instant is at
 * or before now sorts under it ('$' follows the '#' after an instant), every later one above it.
 */
export const dueBefore = (nowIso: string) => `${nowIso}$`;
