// Billing: seats used against the plan's limit, paid seats, the admin seat policy in the API's words, and
// the current period's seat-days.
import { api, ok } from '../api/client';
import { Alert } from '../components/ui';
import { useLoad } from '../hooks';
import type { PageProps } from '../router';
import { useWorkspace } from '../workspace';

export function BillingPage(_: PageProps) {
  const ctx = useWorkspace();
  const path = { ws: ctx.ws };
  const period = new Date().toISOString().slice(0, 7);
  const seats = useLoad(() => ok(api().GET('/v1/workspaces/{ws}/billing/seats', { params: { path } })), [ctx.ws]);
  const usage = useLoad(
    () => ok(api().GET('/v1/workspaces/{ws}/billing/periods/{period}', { params: { path: { ...path, period } } })),
    [ctx.ws, period],
  );
  const s = seats.data;
  const u = usage.data as Record<string, unknown> | undefined;
  return (
    <>
      <h1>Billing</h1>
      <Alert message={seats.error ?? usage.error} />
      <p>
        Plan: <strong>{ctx.me.plan.id}</strong>
      </p>
      {s && (
        <dl class="terms">
          <dt>Seats used</dt>
          <dd>{s.limit.used}</dd>
          <dt>Seat limit</dt>
          <dd>{s.limit.max ?? 'No limit'}</dd>
          <dt>Paid seats</dt>
          <dd>{s.paidSeats}</dd>
          <dt>Admins</dt>
          <dd>
            {s.admins} ({s.freeAdminSeats} free)
          </dd>
        </dl>
      )}
      {s && (
        <section aria-labelledby="policy">
          <h2 id="policy">Admin seat policy</h2>
          <p>{s.explanation}</p>
        </section>
      )}
      {u && (
        <section aria-labelledby="period">
          <h2 id="period">This period ({period})</h2>
          <dl class="terms">
            {Object.entries(u)
              .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
              .map(([k, v]) => (
                <>
                  <dt key={`${k}-t`}>{k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase())}</dt>
                  <dd key={`${k}-d`}>{String(v)}</dd>
                </>
              ))}
          </dl>
        </section>
      )}
    </>
  );
}
