// Settings: the workspace's name, contact visibility, invitation rules and what needs approval.
import { useState } from 'preact/hooks';
import { api, ok } from '../api/client';
import { Alert, Status } from '../components/ui';
import type { PageProps } from '../router';
import { useWorkspace } from '../workspace';
import { ScimSection } from './settings-scim';

const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function SettingsPage(_: PageProps) {
  const ctx = useWorkspace();
  const w = ctx.workspace;
  const [name, setName] = useState(w.name);
  const [contactsVisibility, setVisibility] = useState(w.settings.contactsVisibility);
  const [agentsCanManageAttributes, setAttrs] = useState(w.settings.agentsCanManageAttributes);
  const [inviteDomains, setDomains] = useState((w.settings.inviteDomains ?? []).join(', '));
  const [requireIdentityProvider, setIdp] = useState((w.settings.requireIdentityProvider ?? []).join(', '));
  const [requireApprovalFor, setApproval] = useState((w.settings.requireApprovalFor ?? []).join(', '));
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await ok(
        api().PATCH('/v1/workspaces/{ws}', {
          params: { path: { ws: ctx.ws } },
          body: {
            name,
            settings: {
              contactsVisibility,
              agentsCanManageAttributes,
              inviteDomains: list(inviteDomains),
              requireIdentityProvider: list(requireIdentityProvider),
              requireApprovalFor: list(requireApprovalFor),
            },
          },
        }),
      );
      setStatus('Settings saved.');
      ctx.refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      <h1>Settings</h1>
      <Alert message={error} />
      <Status message={status} />
      <form onSubmit={save}>
        <label>
          Workspace name
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Contact visibility
          <select
            value={contactsVisibility}
            onChange={(e) => setVisibility(e.currentTarget.value as 'team' | 'private')}
          >
            <option value="team">Everyone on the team</option>
            <option value="private">Private to their owner</option>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={agentsCanManageAttributes}
            onChange={(e) => setAttrs(e.currentTarget.checked)}
          />
          Agents can manage contact attributes
        </label>
        <fieldset>
          <legend>Invitation rules</legend>
          <label>
            Allowed email domains (comma separated; empty: any)
            <input value={inviteDomains} onInput={(e) => setDomains(e.currentTarget.value)} />
          </label>
          <label>
            Required identity providers
            <input
              value={requireIdentityProvider}
              aria-describedby="idp-hint"
              onInput={(e) => setIdp(e.currentTarget.value)}
            />
          </label>
          <p id="idp-hint" class="hint">
            Accepting an invitation needs a sign-in through one of these: issuer URLs, identity provider names or
            sign-in methods (amr), comma separated. Empty: any sign-in.
          </p>
        </fieldset>
        <fieldset>
          <legend>Approval</legend>
          <label>
            Require approval for (permissions or role ids, comma separated)
            <input value={requireApprovalFor} onInput={(e) => setApproval(e.currentTarget.value)} />
          </label>
        </fieldset>
        <button type="submit">Save settings</button>
      </form>
      {ctx.can('teammates.manage') && <ScimSection />}
    </>
  );
}
