// Small accessible building blocks: links through the router, alerts, dialogs, menus, Load more.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { BASE, onLinkClick } from '../router';

export function Link(props: {
  href: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page' | undefined;
}) {
  return (
    <a class={props.class} aria-current={props['aria-current']} href={`${BASE}${props.href}`} onClick={onLinkClick}>
      {props.children}
    </a>
  );
}

/** The API's message, in role=alert so it is announced. */
export function Alert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" class="alert">
      {message}
    </p>
  );
}

export function Status({ message }: { message: string | undefined }) {
  return (
    <p role="status" class="status">
      {message ?? ''}
    </p>
  );
}

export function LoadMore({ hasMore, onMore }: { hasMore: boolean; onMore(): void }) {
  if (!hasMore) return null;
  return (
    <button type="button" class="secondary" onClick={onMore}>
      Load more
    </button>
  );
}

/**
 * A modal dialog named by its title: the native <dialog> moves focus in and traps it; on close focus goes
 * back to what opened it.
 */
export function Dialog(props: { title: string; onClose(): void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.showModal();
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={id}
      class={props.wide ? 'wide' : undefined}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

export interface MenuItem {
  label: string;
  onSelect(): void;
}

/** A menu button (WAI-ARIA menu pattern): arrows move, Escape closes and returns focus to the button. */
export function MenuButton({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [open]);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const all = [...(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') all[(at + 1) % all.length]?.focus();
    else if (e.key === 'ArrowUp') all[(at - 1 + all.length) % all.length]?.focus();
    else if (e.key === 'Home') all[0]?.focus();
    else if (e.key === 'End') all[all.length - 1]?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') close(e.key === 'Escape');
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };
  return (
    <div class="menu">
      <button
        ref={button}
        type="button"
        class="secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label}
      </button>
      {open && (
        <div
          ref={menu}
          id={id}
          role="menu"
          aria-label={label}
          onKeyDown={onKey}
          onFocusOut={(e) => {
            if (!menu.current?.contains(e.relatedTarget as Node)) setOpen(false);
          }}
        >
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                // Focus back on the menu button first, so a dialog the item opens returns there.
                close(true);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * A dialog holding one form: fields, the API's refusal in an alert, the submit button and Cancel. The
 * submit runs `onSubmit`; what it throws is shown with its message and the dialog stays open.
 */
export function FormDialog(props: {
  title: string;
  submit: string;
  onSubmit(): Promise<void>;
  onClose(): void;
  children: ComponentChildren;
  /** A load the form depends on failed (shown like a refusal). */
  error?: string | undefined;
  disabled?: boolean;
  danger?: boolean;
  wide?: boolean;
  /** The closing button's name (Cancel unless the dialog changes nothing, like a question's Close). */
  cancel?: string;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await props.onSubmit();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} wide={props.wide}>
      <form onSubmit={submit}>
        {props.children}
        <Alert message={error ?? props.error} />
        <div class="actions">
          <button type="submit" class={props.danger ? 'danger' : undefined} disabled={busy || props.disabled}>
            {props.submit}
          </button>
          <button type="button" class="secondary" onClick={props.onClose}>
            {props.cancel ?? 'Cancel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A fieldset of checkboxes (members of a team, inboxes of a team…): its legend names the group. */
export function CheckList(props: {
  legend: string;
  options: readonly { id: string; label: string }[] | undefined;
  value: readonly string[];
  onChange(value: string[]): void;
  /** Why the choices cannot change (shown as the group's description). */
  disabledReason?: string | undefined;
  empty: string;
}) {
  const id = useId();
  return (
    <fieldset
      class="checklist"
      disabled={Boolean(props.disabledReason)}
      aria-describedby={props.disabledReason ? id : undefined}
    >
      <legend>{props.legend}</legend>
      {props.disabledReason && (
        <p id={id} class="muted">
          {props.disabledReason}
        </p>
      )}
      {props.options === undefined ? (
        <p class="muted">Loading…</p>
      ) : props.options.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        props.options.map((o) => (
          <label key={o.id} class="check">
            <input
              type="checkbox"
              checked={props.value.includes(o.id)}
              onChange={(e) =>
                props.onChange(e.currentTarget.checked ? [...props.value, o.id] : props.value.filter((x) => x !== o.id))
              }
            />
            {o.label}
          </label>
        ))
      )}
    </fieldset>
  );
}

/** A row's buttons, each named for its row ("Edit team Night shift") while showing a short label. */
export function RowActions({
  actions,
}: {
  actions: readonly { label: string; name: string; onClick(): void; danger?: boolean }[];
}) {
  return (
    <div class="row-actions">
      {actions.map((a) => (
        <button
          key={a.name}
          type="button"
          class={a.danger ? 'danger' : 'secondary'}
          aria-label={a.name}
          onClick={a.onClick}
        >
          {a.label}
        </button>
      ))}
    </div>
  );
}

/** A secret the API shows once (an API key, a SCIM token): named by its heading, with the warning. */
export function ShownOnce(props: { title: string; hint: string; secret: string | undefined; level?: 2 | 3 }) {
  const id = useId();
  if (!props.secret) return null;
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <section aria-labelledby={id} class="effect">
      <Heading id={id}>{props.title}</Heading>
      <p>{props.hint}</p>
      <code class="secret">{props.secret}</code>
    </section>
  );
}

/** "Delete team Tier 2": a confirmation naming what goes and what it takes with it. */
export function DeleteDialog(props: {
  what: string;
  name: string;
  onDelete(): Promise<void>;
  onClose(): void;
  children: ComponentChildren;
}) {
  return (
    <FormDialog
      title={`Delete ${props.what} ${props.name}`}
      submit={`Delete ${props.what}`}
      danger
      onSubmit={props.onDelete}
      onClose={props.onClose}
    >
      {props.children}
    </FormDialog>
  );
}

/** A select of roles by name (the caller passes the ones it may give). */
export function RoleSelect(props: {
  label: string;
  roles: readonly { id: string; name: string }[] | undefined;
  value: string;
  onChange(roleId: string): void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.roles?.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}
