// The one clock decisions read. Env-free and tiny (the authorizer bundles it): `now()` is the wall clock in
// production; tests move it with `setClockForTests` to decide "just before / just after" an expiry without
// sleeping. Only what decides on time (grant expiry, access-request expiry, the grant sweep) reads it.
let offsetMs = 0;
let fixed: number | undefined;

/** Milliseconds since the epoch, as decisions see them. */
export const nowMs = (): number => fixed ?? Date.now() + offsetMs;

export const now = (): Date => new Date(nowMs());

/** Tests only: pin the clock to an instant (`Date`/ISO/ms), or shift it by `{ offsetMs }`; `undefined` resets. */
export function setClockForTests(to?: Date | string | number | { offsetMs: number }): void {
  fixed = undefined;
  offsetMs = 0;
  if (to === undefined) return;
  if (typeof to === 'object' && !(to instanceof Date)) offsetMs = to.offsetMs;
  else fixed = new Date(to).getTime();
}
