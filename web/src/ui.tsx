// Shared pieces: the app context (language, session), labelled fields, error and "not available" states.
import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useId, useRef, useState } from 'preact/hooks';
import { fmtDateTime, fmtMinutes } from './format.js';
import { ApiError } from './api.js';
import type { Session } from './api.js';
import { translate, translateDynamic } from './i18n.js';
import type { Key, Lang } from './i18n.js';

export interface AppState {
  lang: Lang;
  session: Session | null;
  t: (key: Key, params?: Record<string, string | number>) => string;
  /** Translate a value the API returns (category, stage, role ...) under a prefix. */
  tv: (prefix: string, value: string | null | undefined) => string;
}

export const AppContext = createContext<AppState>({
  lang: 'en',
  session: null,
  t: (k) => k,
  tv: (_p, v) => v ?? '',
});

export function useApp(): AppState {
  return useContext(AppContext);
}

export function makeState(lang: Lang, session: Session | null): AppState {
  return {
    lang,
    session,
    t: (key, params) => translate(lang, key, params),
    tv: (prefix, value) => (value == null ? translate(lang, 'none') : translateDynamic(lang, `${prefix}${value}`, value)),
  };
}

export function Field(props: { label: string; help?: string | undefined; optional?: boolean; children: (id: string, describedBy: string | undefined) => ComponentChildren }) {
  const { t } = useApp();
  const id = useId();
  const helpId = props.help ? `${id}-help` : undefined;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.optional ? <span class="optional"> {t('optional')}</span> : null}
      </label>
      {props.children(id, helpId)}
      {props.help ? (
        <p class="help" id={helpId}>
          {props.help}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(props: { label: string; value: string; onInput: (v: string) => void; help?: string; optional?: boolean; required?: boolean; type?: string; name?: string; autoComplete?: string; multiline?: boolean; inputMode?: 'text' | 'tel' | 'email' | 'numeric' | 'decimal' }) {
  return (
    <Field label={props.label} help={props.help} optional={props.optional ?? false}>
      {(id, describedBy) =>
        props.multiline ? (
          <textarea id={id} name={props.name} aria-describedby={describedBy} required={props.required} value={props.value} rows={3} onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)} />
        ) : (
          <input
            id={id}
            name={props.name}
            type={props.type ?? 'text'}
            inputMode={props.inputMode}
            aria-describedby={describedBy}
            required={props.required}
            autoComplete={props.autoComplete ?? 'off'}
            spellcheck={false}
            value={props.value}
            onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
          />
        )
      }
    </Field>
  );
}

export function SelectField<T extends string>(props: { label: string; value: T; onChange: (v: T) => void; options: { value: T; label: string }[]; name?: string; help?: string }) {
  return (
    <Field label={props.label} help={props.help}>
      {(id, describedBy) => (
        <select id={id} name={props.name} aria-describedby={describedBy} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as T)}>
          {props.options.map((o) => (
            <option value={o.value}>{o.label}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** "accounts.0.bank" → "Accounts › #1 › Bank" in the reader's words, never the API's field path. */
export function fieldLabel(field: string, tv: AppState['tv']): string {
  return field
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? `#${Number(p) + 1}` : tv('fld_', p)))
    .join(' › ');
}

export function ErrorBox({ error }: { error: unknown }) {
  const { t, tv } = useApp();
  if (!error) return null;
  if (error instanceof ApiError && error.notAvailable) return <NotAvailable path={error.path} />;
  const msg = error instanceof ApiError ? (error.code === 'AUTH_FORBIDDEN' ? t('forbidden') : error.status === 401 ? t('sessionExpired') : error.status === 0 ? t('offline') : error.detail) : error instanceof Error ? error.message : String(error);
  // The code stays in an attribute for support and tests; people read the message and the field.
  return (
    <div class="error" role="alert" data-code={error instanceof ApiError ? error.code : undefined}>
      <strong>{t('errorTitle')}</strong>
      <p>{msg}</p>
      {error instanceof ApiError && error.field ? <p class="muted">{t('fieldAtFault', { field: fieldLabel(error.field, tv) })}</p> : null}
    </div>
  );
}

export function NotAvailable({ path }: { path: string }) {
  const { t } = useApp();
  return (
    <div class="notice not-available" role="status" data-testid="not-available">
      <strong>{t('notAvailable')}</strong>
      <p>{t('notAvailableText', { path })}</p>
    </div>
  );
}

/** Runs an async action with busy and error state, for forms and buttons. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn(...args);
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

export function PageTitle({ children }: { children: ComponentChildren }) {
  // Focus moves here on navigation (tabIndex -1), so keyboard and screen-reader users start at the top.
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

/** A plain table of objects whose shape the console does not know in advance (newer APIs). */
export function GenericTable({ rows, caption, actions }: { rows: Record<string, unknown>[]; caption: string; actions?: (row: Record<string, unknown>) => ComponentChildren }) {
  const { t } = useApp();
  if (rows.length === 0) return <p class="muted">{t('noEntries')}</p>;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].slice(0, 10);
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table class="responsive">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {cols.map((c) => (
              <th scope="col">{c}</th>
            ))}
            {actions ? <th scope="col">{t('action')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {cols.map((c) => (
                <td data-label={c}>{show(r[c])}</td>
              ))}
              {actions ? <td>{actions(r)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A time in the reader's locale (the same order of day and month as their date inputs). */
export function formatTime(iso: string | null | undefined, lang: Lang): string {
  return fmtDateTime(iso, lang);
}

/**
 * Loads data when `deps` change; `reload` runs it again. An error replaces what was shown before
 * (never old results under a new error), and only the newest request's answer is kept.
 */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [n, setN] = useState(0);
  const seq = useRef(0);
  const { busy, error, run } = useAction(async () => {
    const mine = ++seq.current;
    try {
      const d = await fn();
      if (mine === seq.current) setData(d);
    } catch (err) {
      if (mine !== seq.current) return;
      setData(null);
      throw err;
    }
  });
  useEffect(() => void run(), [...deps, n]);
  return { data, busy, error, reload: () => setN((x) => x + 1) };
}

/** One section's states: loading, its error (replacing stale results), empty, or the data. */
export function Loadable<T>({ state, empty, children, emptyText }: { state: { data: T | null; busy: boolean; error: unknown }; empty?: (d: T) => boolean; emptyText?: string; children: (d: T) => ComponentChildren }) {
  const { t } = useApp();
  if (state.error) return <ErrorBox error={state.error} />;
  if (state.data === null) {
    return state.busy ? (
      <p class="loading muted" role="status" data-testid="loading">
        {t('loading')}
      </p>
    ) : null;
  }
  if (empty?.(state.data)) {
    return (
      <p class="muted empty" data-testid="empty">
        {emptyText ?? t('noEntries')}
      </p>
    );
  }
  return <>{children(state.data)}</>;
}

/** The current time, ticking every `ms` (deadline countdowns). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** "2 h 5 min left" / "overdue by 20 min", coloured by urgency. */
export function Countdown({ deadline, overdue }: { deadline: string; overdue?: boolean }) {
  const { t, lang } = useApp();
  const now = useNow();
  const left = (Date.parse(deadline) - now) / 60_000;
  const late = overdue ?? left < 0;
  const cls = late ? 'late' : left < 60 ? 'soon' : 'ok';
  return (
    <span class={`countdown cd-${cls}`} data-testid="countdown" title={fmtDateTime(deadline, lang)}>
      {late ? t('lateBy', { d: fmtMinutes(Math.abs(left), lang) }) : t('timeLeft', { d: fmtMinutes(left, lang) })}
    </span>
  );
}

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
}

/**
 * A confirmation before an irreversible step (approve, release, return, file): a modal dialog that
 * names what will happen; Escape or Cancel does nothing.
 */
export function useConfirm(): { ask: (r: ConfirmRequest) => void; dialog: preact.JSX.Element } {
  const [req, setReq] = useState<ConfirmRequest | null>(null);
  return { ask: setReq, dialog: <ConfirmDialog req={req} onClose={() => setReq(null)} /> };
}

function ConfirmDialog({ req, onClose }: { req: ConfirmRequest | null; onClose: () => void }) {
  const { t } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (req && !d.open) d.showModal();
    if (!req && d.open) d.close();
  }, [req]);
  return (
    <dialog ref={ref} class="confirm-dialog" aria-labelledby={`${id}-t`} aria-describedby={`${id}-m`} onClose={onClose} data-testid="confirm-dialog">
      {req ? (
        <>
          <h2 id={`${id}-t`}>{req.title}</h2>
          <p id={`${id}-m`}>{req.message}</p>
          <div class="buttons">
            <button
              type="button"
              class={req.danger ? 'danger' : 'primary'}
              data-testid="confirm-yes"
              onClick={() => {
                const go = req.onConfirm;
                onClose();
                go();
              }}
            >
              {req.confirmLabel}
            </button>
            <button type="button" onClick={onClose} data-testid="confirm-no" autofocus>
              {t('cancel')}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  className?: string;
}

/** A table on a desk, a stack of cards on a phone (each cell names its column: see .responsive in styles.css). */
export function DataTable<T>({ caption, columns, rows, testid, rowAttrs }: { caption: string; columns: Column<T>[]; rows: T[]; testid?: string; rowAttrs?: (row: T) => Record<string, string> }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table class="responsive" data-testid={testid}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr {...(rowAttrs?.(r) ?? {})}>
              {columns.map((c) => (
                <td data-label={c.label} class={c.className}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface ApiReason {
  code: string;
  text: string;
}

/** Reasons in words: the console's own name for the code (when it has one), then the API's text. The code stays in an attribute. */
export function Reasons({ reasons }: { reasons: ApiReason[] }) {
  const { tv } = useApp();
  return (
    <ul class="reasons">
      {reasons.map((r) => {
        const name = tv('rsn_', r.code);
        return (
          <li data-code={r.code}>
            {name !== r.code ? <strong>{name}: </strong> : null}
            {r.text}
          </li>
        );
      })}
    </ul>
  );
}

/** The list in a response whose envelope a newer API chooses ({holds: [...]}, {items: [...]}, or a bare array). */
export function listIn(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) if (Array.isArray(v)) return v as Record<string, unknown>[];
  }
  return [];
}
