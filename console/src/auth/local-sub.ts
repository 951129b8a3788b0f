// The local issuer signs any sub; the console derives it from the email so the same email is always the
// same user. scripts/local/demo.ts makes its demo users with this function, so they see the demo workspace.
export function localSub(email: string): string {
  return `local|${email.trim().toLowerCase()}`;
}
