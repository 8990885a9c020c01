// Shared pieces: the app context (language, session), labelled fields, error and "not available" states.
import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useId, useState } from 'preact/hooks';
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

export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useApp();
  if (!error) return null;
  if (error instanceof ApiError && error.notAvailable) return <NotAvailable path={error.path} />;
  const msg = error instanceof ApiError ? (error.code === 'AUTH_FORBIDDEN' ? t('forbidden') : error.status === 401 ? t('sessionExpired') : error.detail) : error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <strong>{t('errorTitle')}</strong>
      <p>{msg}</p>
      {error instanceof ApiError && error.field ? <p class="muted">{t('fieldAtFault', { field: error.field })}</p> : null}
      {error instanceof ApiError && error.code ? <p class="muted code">{error.code}</p> : null}
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
      <table>
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
                <td>{show(r[c])}</td>
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

export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** Loads data when `deps` change; `reload` runs it again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [n, setN] = useState(0);
  const { busy, error, run } = useAction(async () => setData(await fn()));
  useEffect(() => void run(), [...deps, n]);
  return { data, busy, error, reload: () => setN((x) => x + 1) };
}

/** The list in a response whose envelope a newer API chooses ({holds: [...]}, {items: [...]}, or a bare array). */
export function listIn(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) if (Array.isArray(v)) return v as Record<string, unknown>[];
  }
  return [];
}
