// The console talks to the same public HTTP API as every other client, with the key the user
// entered (Authorization: Bearer). Errors are RFC 9457 problem documents.
import type { Role } from '../../src/auth/roles.js';

export interface Session {
  key: string;
  org: string;
  role: Role;
  /** The person behind the key (staff or badge number): the console never offers them a second-officer step on their own request. */
  person?: string;
}

const SESSION_KEY = 'callshield.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    return typeof s.key === 'string' && typeof s.org === 'string' && typeof s.role === 'string' ? (s as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly field: string | undefined,
    readonly path: string,
  ) {
    super(detail);
  }
  /** The route does not exist on this server (yet): the page shows "not available". */
  get notAvailable(): boolean {
    return this.status === 404 && (this.code === 'REQUEST_NOT_FOUND' || this.code === '');
  }
}

/** Listeners told when the server says the key is no longer valid (401), so the app can sign out and say why. */
const unauthorised = new Set<(err: ApiError) => void>();
export function onUnauthorised(fn: (err: ApiError) => void): () => void {
  unauthorised.add(fn);
  return () => unauthorised.delete(fn);
}

/** The reader's language, sent as Accept-Language so the API answers in it (labels, reasons, problems). */
let language = 'en';
export function setApiLanguage(lang: 'en' | 'zh'): void {
  language = lang === 'zh' ? 'zh-CN' : 'en';
}

/**
 * One Idempotency-Key per submitted request: the same method, path and body within ten minutes (a
 * second click, a retry after an error) reuse the key, so the server answers it once and writes once.
 */
const IDEMPOTENCY_WINDOW_MS = 10 * 60_000;
const idempotencyKeys = new Map<string, { key: string; at: number }>();
/** 128 random bits as hex (crypto.randomUUID needs a secure context; getRandomValues does not). */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function idempotencyKeyFor(method: string, path: string, body: unknown): string {
  const now = Date.now();
  for (const [k, v] of idempotencyKeys) if (now - v.at > IDEMPOTENCY_WINDOW_MS) idempotencyKeys.delete(k);
  const id = `${loadSession()?.key.slice(0, 12) ?? ''} ${method} ${path} ${JSON.stringify(body ?? null)}`;
  let entry = idempotencyKeys.get(id);
  if (!entry) idempotencyKeys.set(id, (entry = { key: randomKey(), at: now }));
  return entry.key;
}

async function toError(res: Response, path: string): Promise<ApiError> {
  let body: { code?: string; detail?: string; title?: string; field?: string } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not a problem document */
  }
  return new ApiError(res.status, body.code ?? '', body.detail ?? body.title ?? res.statusText, body.field, path);
}

export interface CallOptions {
  body?: unknown;
  key?: string;
  signal?: AbortSignal;
  accept?: string;
  headers?: Record<string, string>;
  /** A POST that is not a form submit (a call's utterances): a new Idempotency-Key each time, so two equal lines both count. */
  fresh?: boolean;
}

/**
 * The language the user chose in the console (or the browser's), for the API's labels, reasons,
 * advice and problem texts: the API renders them in it (Accept-Language; codes stay as they are).
 */
export function acceptLanguage(): string {
  return language === 'zh-CN' ? 'zh-CN, zh;q=0.9, en;q=0.5' : 'en';
}

function headersFor(key: string | undefined, opts: CallOptions): Record<string, string> {
  const h: Record<string, string> = { accept: opts.accept ?? 'application/json', 'accept-language': acceptLanguage() };
  if (key) h.authorization = `Bearer ${key}`;
  if (opts.body !== undefined) h['content-type'] = 'application/json';
  return { ...h, ...opts.headers };
}

export async function raw(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const key = opts.key ?? loadSession()?.key;
  const headers = headersFor(key, opts);
  if (method === 'POST' && !Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) headers['idempotency-key'] = opts.fresh ? randomKey() : idempotencyKeyFor(method, path, opts.body);
  const res = await fetch(path, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (!res.ok) {
    const err = await toError(res, path.split('?')[0] ?? path);
    // Only a key that was in use goes stale; a wrong key on the sign-in form is that form's error.
    if (res.status === 401 && opts.key === undefined) for (const fn of unauthorised) fn(err);
    throw err;
  }
  return res;
}

export async function api<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const res = await raw(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads a CSV the API produces (the Authorization header rules out a plain link). */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const res = await raw('GET', path, { accept: 'text/csv' });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads a Server-Sent Events stream with fetch (EventSource cannot send an Authorization header).
 * Calls `onEvent` for each event; resolves when the stream ends or the signal aborts.
 */
export async function readEvents(path: string, onEvent: (e: SseEvent) => void, opts: { signal: AbortSignal; onOpen?: () => void }): Promise<void> {
  const res = await raw('GET', path, { accept: 'text/event-stream', signal: opts.signal });
  opts.onOpen?.();
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      // Events end with a blank line (the spec allows \r\n, \n or \r line ends).
      let m: RegExpExecArray | null;
      while ((m = /\r\n\r\n|\n\n|\r\r/.exec(buf))) {
        const block = buf.slice(0, m.index);
        buf = buf.slice(m.index + m[0].length);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split(/\r\n|\n|\r/)) {
          if (line === '' || line.startsWith(':')) continue; // comments keep the connection alive
          const i = line.indexOf(':');
          const name = i < 0 ? line : line.slice(0, i);
          let value = i < 0 ? '' : line.slice(i + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (name === 'event') event = value;
          else if (name === 'data') data.push(value);
        }
        if (data.length > 0) onEvent({ event, data: data.join('\n') });
      }
    }
  } catch (err) {
    if (!opts.signal.aborted) throw err;
  } finally {
    reader.releaseLock();
  }
}
