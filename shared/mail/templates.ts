// The emails this service sends, as plain text and HTML. Values are escaped for HTML.
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function invitationEmail(v: {
  workspaceName: string;
  inviterEmail: string;
  roleId: string;
  link: string;
  expiresAt: string;
}) {
  const who = v.inviterEmail || 'A teammate';
  const subject = `${who} invited you to ${v.workspaceName}`;
  const text = [
    `${who} invited you to join the workspace "${v.workspaceName}" as ${v.roleId}.`,
    '',
    `Accept the invitation: ${v.link}`,
    '',
    `The link works once and expires on ${v.expiresAt}.`,
  ].join('\n');
  const html = `<p>${esc(who)} invited you to join the workspace <strong>${esc(v.workspaceName)}</strong> as ${esc(v.roleId)}.</p>
<p><a href="${esc(v.link)}">Accept the invitation</a></p>
<p>The link works once and expires on ${esc(v.expiresAt)}.</p>`;
  return { subject, text, html };
}

export function bounceNotice(v: { workspaceName: string; email: string; kind: string }) {
  const subject = `Your invitation to ${v.email} could not be delivered`;
  const text = `The invitation to ${v.email} for "${v.workspaceName}" was not delivered (${v.kind}). Check the address and invite again.`;
  return { subject, text, html: `<p>${esc(text)}</p>` };
}

export function accessRequestEmail(v: {
  workspaceName: string;
  requesterEmail: string;
  what: string;
  reason: string;
  until?: string;
  link: string;
  expiresAt: string;
}) {
  const who = v.requesterEmail || 'A teammate';
  const subject = `${who} asks for ${v.what} in ${v.workspaceName}`;
  const period = v.until ? ` until ${v.until}` : '';
  const text = [
    `${who} asks for ${v.what}${period} in the workspace "${v.workspaceName}".`,
    `Reason: ${v.reason}`,
    '',
    `Approve or deny it: ${v.link}`,
    '',
    `The request can be decided until ${v.expiresAt}.`,
  ].join('\n');
  const html = `<p>${esc(who)} asks for ${esc(v.what)}${esc(period)} in the workspace <strong>${esc(v.workspaceName)}</strong>.</p>
<p>Reason: ${esc(v.reason)}</p>
<p><a href="${esc(v.link)}">Approve or deny it</a></p>
<p>The request can be decided until ${esc(v.expiresAt)}.</p>`;
  return { subject, text, html };
}

/** To the author of a scheduled message that was not sent at its time. Never the message's text. */
export function scheduledFailedEmail(v: { workspaceName: string; sendAt: string; why: string; link: string }) {
  const subject = `Your scheduled message in ${v.workspaceName} could not be sent`;
  const text = [
    `Your message scheduled for ${v.sendAt} in the workspace "${v.workspaceName}" was not sent: ${v.why}.`,
    '',
    `The conversation: ${v.link}`,
  ].join('\n');
  const html = `<p>Your message scheduled for ${esc(v.sendAt)} in the workspace <strong>${esc(v.workspaceName)}</strong> was not sent: ${esc(v.why)}.</p>
<p><a href="${esc(v.link)}">Open the conversation</a></p>`;
  return { subject, text, html };
}
