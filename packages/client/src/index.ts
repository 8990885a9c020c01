// @callshield/client: the callshield API from a phone app, a web page or a server. Uses only
// `fetch`, `TextEncoder` and Web Crypto (`crypto.subtle`), so it runs in browsers, React Native
// (with a fetch that streams, for followCall) and Node.js 20.
import type {
  Accepted,
  BlocklistDelta,
  BlocklistEntry,
  BlocklistFull,
  BlocklistManifest,
  CallStarted,
  FeedbackRequest,
  RangeAnswer,
  RangeEntry,
  ReportRequest,
  ScreenRequest,
  ScreenResponse,
} from './types.js';

export type * from './types.js';

export interface ClientOptions {
  baseUrl: string;
  key: string;
  /** Another fetch (tests, React Native polyfills); the global one by default. */
  fetch?: typeof fetch;
  /** How long a range answer stays in the local cache (ms; default 5 minutes). */
  rangeCacheMs?: number;
  /** Clock for the cache (ms since epoch). */
  now?: () => number;
}

/** An RFC 9457 problem document from the server, as an Error. */
export class CallshieldApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly field: string | undefined,
    readonly problem: unknown,
  ) {
    super(`callshield ${status}${code ? ` ${code}` : ''}${field ? ` (${field})` : ''}`);
    this.name = 'CallshieldApiError';
  }
}

/** What lookupPrivately found: the entry for this identifier, or null when nothing is known against it. */
export type PrivateLookup = RangeEntry | null;

export interface CallHandlers {
  onAlert?: (alert: Record<string, unknown>) => void;
  onRisk?: (update: { risk: number; stages: string[]; turn: number }) => void;
}

export interface FollowedCall {
  /** The call summary, when the call ends (the stream then closes). */
  readonly ended: Promise<Record<string, unknown>>;
  /** Stops following (the call goes on). */
  close(): void;
}

/** A device's copy of one list: what syncBlocklist keeps and returns. */
export interface BlocklistState {
  version: number;
  list: 'block' | 'identify';
  entries: Map<string, BlocklistEntry>;
}

export interface SyncOptions {
  list?: 'block' | 'identify';
  /**
   * The manifest verifier key (raw Ed25519 public key, base64url, from GET /v1/blocklist/signing-key;
   * ship it with the app). With it, the signed manifest is checked and the synced copy's digest
   * must match, or syncBlocklist throws and returns nothing.
   */
  verifyKey?: string;
}

const enc = new TextEncoder();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', enc.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fromBase64url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The digest a manifest signs for a list (docs/blocklist.md). */
export async function blocklistDigest(list: 'block' | 'identify', entries: Iterable<BlocklistEntry>): Promise<string> {
  const sorted = [...entries].sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  return sha256Hex(sorted.map((e) => (list === 'block' ? `${e.identifier}\n` : `${e.identifier}\t${e.label}\n`)).join(''));
}

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const ttl = options.rangeCacheMs ?? 300_000;
  const rangeCache = new Map<string, { at: number; answer: RangeAnswer }>();
  const auth = { authorization: `Bearer ${options.key}` };

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await doFetch(base + path, {
      method,
      headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const p = (parsed ?? {}) as { code?: string; field?: string };
      throw new CallshieldApiError(res.status, p.code, p.field, parsed);
    }
    return parsed as T;
  }

  const api = {
    /** POST /v1/screen: one decision for one incoming call. */
    screen: (call: ScreenRequest) => request<ScreenResponse>('POST', '/v1/screen', call),
    /** POST /v1/reports: the subscriber reports a caller. */
    report: (input: ReportRequest) => request<Accepted>('POST', '/v1/reports', input),
    /** POST /v1/feedback: "not spam". */
    feedback: (input: Omit<FeedbackRequest, 'verdict'> & { verdict?: 'not-spam' }) => request<Accepted>('POST', '/v1/feedback', { verdict: 'not-spam', ...input }),

    /**
     * The range look-up (docs/privacy.md): sends only the first 5 hex characters of SHA-256 of the
     * canonical identifier (E.164 with "+", lower-case e-mail, account:platform:id) and finds the
     * rest locally. Answers are kept per prefix for `rangeCacheMs`, so a second number in the same
     * bucket, or the same number again, asks nothing.
     */
    async lookupPrivately(canonical: string): Promise<PrivateLookup> {
      const hash = await sha256Hex(canonical);
      const prefix = hash.slice(0, 5);
      let hit = rangeCache.get(prefix);
      if (!hit || now() - hit.at > ttl) {
        hit = { at: now(), answer: await request<RangeAnswer>('GET', `/v1/lookup/range/${prefix}`) };
        rangeCache.set(prefix, hit);
      }
      return hit.answer.entries.find((e) => e.suffix === hash.slice(5)) ?? null;
    },
    /** How many prefixes the local range cache holds (for tests and diagnostics). */
    rangeCacheSize: () => rangeCache.size,

    /** POST /v1/calls: start following a call with the conversation guard. */
    startCall: (input: { caller: string; callee: string; channel?: 'pstn' | 'video' | 'voip'; lang?: 'zh' | 'en' }) => request<CallStarted>('POST', '/v1/calls', input),
    /** POST /v1/calls/{id}/utterances: one utterance as the recogniser produced it. */
    sendUtterance: (callId: string, utterance: Record<string, unknown>) => request<Record<string, unknown>>('POST', `/v1/calls/${encodeURIComponent(callId)}/utterances`, utterance),
    /** POST /v1/calls/{id}/end. */
    endCall: (callId: string) => request<Record<string, unknown>>('POST', `/v1/calls/${encodeURIComponent(callId)}/end`),

    /**
     * GET /v1/calls/{id}/events: the conversation guard's Server-Sent Events (alerts, risk
     * updates, the end), read from fetch's streamed body.
     */
    followCall(callId: string, handlers: CallHandlers = {}): FollowedCall {
      const abort = new AbortController();
      const ended = (async () => {
        const res = await doFetch(`${base}/v1/calls/${encodeURIComponent(callId)}/events`, { headers: { ...auth, accept: 'text/event-stream' }, signal: abort.signal });
        if (!res.ok || !res.body) {
          const text = await res.text();
          const p = (text ? JSON.parse(text) : {}) as { code?: string; field?: string };
          throw new CallshieldApiError(res.status, p.code, p.field, p);
        }
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) throw new Error('the event stream closed before the call ended');
          buf += dec.decode(value, { stream: true });
          for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
            const block = buf.slice(0, at);
            buf = buf.slice(at + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length === 0) continue; // a keep-alive comment
            const payload = JSON.parse(data.join('\n')) as Record<string, unknown>;
            if (event === 'alert') handlers.onAlert?.(payload);
            else if (event === 'risk') handlers.onRisk?.(payload as { risk: number; stages: string[]; turn: number });
            else if (event === 'end') {
              abort.abort();
              return payload;
            }
          }
        }
      })();
      ended.catch(() => {});
      return { ended, close: () => abort.abort() };
    },

    /**
     * Brings a device's copy of a block list up to date: the whole list the first time, then
     * deltas (GET /v1/blocklist?since=VERSION). With `verifyKey`, the signed manifest is checked
     * (Ed25519) and the copy's digest must equal the signed one. Returns the new state (the one
     * passed in is not changed, so a failed sync leaves the old copy whole).
     */
    async syncBlocklist(state?: BlocklistState, opts: SyncOptions = {}): Promise<BlocklistState & { added: number; removed: number }> {
      const list = opts.list ?? state?.list ?? 'block';
      const next: BlocklistState = { version: 0, list, entries: new Map(state?.list === list ? state.entries : []) };
      let added = 0;
      let removed = 0;
      if (state && state.list === list && state.version > 0) {
        const d = await request<BlocklistDelta>('GET', `/v1/blocklist?list=${list}&since=${state.version}`);
        for (const id of d.removed) if (next.entries.delete(id)) removed++;
        for (const e of d.added) {
          next.entries.set(e.identifier, e);
          added++;
        }
        next.version = d.version;
      } else {
        const full = await request<BlocklistFull>('GET', `/v1/blocklist?list=${list}`);
        next.entries.clear();
        for (const e of full.entries) next.entries.set(e.identifier, e);
        added = full.entries.length;
        next.version = full.version;
      }
      if (opts.verifyKey) {
        const m = await request<BlocklistManifest>('GET', '/v1/blocklist/manifest');
        const key = await crypto.subtle.importKey('raw', fromBase64url(opts.verifyKey), { name: 'Ed25519' }, false, ['verify']);
        const good = await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64url(m.signature), enc.encode(m.payload));
        if (!good) throw new Error('the block-list manifest signature does not verify with the pinned key');
        const signed = JSON.parse(m.payload) as Omit<BlocklistManifest, 'payload' | 'signature'>;
        // A newer version may have been published between the two requests: sync again.
        if (signed.version !== next.version) return api.syncBlocklist(next, opts);
        const digest = await blocklistDigest(list, next.entries.values());
        if (digest !== signed.lists[list].digest || next.entries.size !== signed.lists[list].count) {
          throw new Error(`the synced ${list} list does not match the signed manifest of version ${signed.version}`);
        }
      }
      return { ...next, added, removed };
    },
  };
  return api;
}

export type CallshieldClient = ReturnType<typeof createClient>;
