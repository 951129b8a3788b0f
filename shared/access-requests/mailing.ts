// Emailing approvers of a new access request, from the table stream like invitation emails (same mailer Lambda,
// same SES adapter): one job per request (Powertools idempotency), sent to every active member who could
// approve it now (the guard's rule: teammates.manage, the right to manage the member, no escalation), at most
// MAX_APPROVERS_MAILED of them, the Owner first.
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { DynamoDBRecord } from 'aws-lambda';
import { config } from '../config';
import { TableIdempotencyStore } from '../db/idempotency-store';
import { parseItem } from '../db/items';
import { imageOf } from '../db/stream';
import { effectivePermissionsOf, heldBy, rolePermissions } from '../grants/guard';
import { consoleLink } from '../mail/links';
import { type Mailer, sesMailer } from '../mail/mailer';
import { accessRequestEmail } from '../mail/templates';
import { getMember, listAllMembers } from '../members/repository';
import { grantExcess } from '../permissions/policy';
import { getWorkspace } from '../workspaces/repository';
import { AccessRequestRecord, getAccessRequest } from './repository';
import { view } from './service';

export const MAX_APPROVERS_MAILED = 25;

export interface AccessRequestMailJob {
  workspaceId: string;
  requestId: string;
}

/** A pending access request inserted: its approvers get an email. */
export function accessRequestJob(record: DynamoDBRecord): AccessRequestMailJob | undefined {
  const newImage = record.dynamodb?.NewImage;
  if (!newImage || record.eventName !== 'INSERT') return undefined;
  // Only access requests are parsed as one (see invitationJob).
  const image = imageOf(newImage);
  if (image.entity !== 'AccessRequest') return undefined;
  const next = parseItem(AccessRequestRecord, image, 'Access request');
  if (next.status !== 'pending') return undefined;
  return { workspaceId: next.workspaceId, requestId: next.id };
}

export const accessRequestIdempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[workspaceId, requestId]',
  expiresAfterSeconds: 8 * 86_400,
});

const persistenceStore = new TableIdempotencyStore('IDEMPOTENCY#access-request-mail');

async function sendAccessRequestMail(job: AccessRequestMailJob, mailer: Mailer = sesMailer) {
  const [r, ws] = await Promise.all([getAccessRequest(job.workspaceId, job.requestId), getWorkspace(job.workspaceId)]);
  if (!r || !ws || view(r).status !== 'pending') return { sent: 0 };
  const target = r.memberId ? await getMember(ws.id, r.memberId, true) : undefined;
  if (r.kind !== 'invitation' && !target) return { sent: 0 };
  const requester = r.requestedBy === target?.id ? target : await getMember(ws.id, r.requestedBy, true);
  const asked = r.kind === 'permissions' ? (r.permissions ?? {}) : await rolePermissions(ws, r.roleId ?? '');
  const held = target ? await heldBy(ws, target) : {};
  // Inviting needs teammates.invite; changing a member, teammates.manage.
  const needed = r.kind === 'invitation' ? 'teammates.invite' : 'teammates.manage';
  const approvers: string[] = [];
  const all = (await listAllMembers(ws.id)).sort((a, b) => (a.roleId === 'owner' ? -1 : b.roleId === 'owner' ? 1 : 0));
  for (const m of all) {
    if (approvers.length >= MAX_APPROVERS_MAILED) break;
    if (m.id === target?.id || m.id === r.requestedBy || m.status === 'deactivated' || !m.email) continue;
    const eff = await effectivePermissionsOf(ws, m);
    const actor = { roleId: eff.grants.roleId, permissions: eff.permissions };
    const manages = actor.roleId === 'owner' || actor.permissions[needed] !== undefined;
    if (manages && grantExcess(actor, asked).length === 0 && grantExcess(actor, held).length === 0) {
      approvers.push(m.email);
    }
  }
  const mail = accessRequestEmail({
    workspaceName: ws.name,
    requesterEmail: requester?.email ?? '',
    what:
      r.kind === 'invitation'
        ? `an invitation of ${r.email} as ${r.roleId}`
        : r.kind === 'role'
          ? `the role ${r.roleId}`
          : `the permissions ${Object.keys(r.permissions ?? {}).join(', ')}`,
    reason: r.reason,
    ...(r.until ? { until: r.until } : {}),
    link: consoleLink(config.mail().APP_URL, `/w/${encodeURIComponent(ws.id)}/access-requests`),
    expiresAt: r.expiresAt,
  });
  for (const to of approvers) {
    await mailer.send({ to, ...mail, tags: { kind: 'access-request', workspaceId: ws.id, requestId: r.id } });
  }
  return { sent: approvers.length };
}

export const sendAccessRequestMailOnce = makeIdempotent(sendAccessRequestMail, {
  persistenceStore,
  config: accessRequestIdempotency,
});
