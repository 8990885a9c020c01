// The SIP screening redirect server (docs/sip.md): UDP and TCP on one port, a bounded transaction
// cache for retransmissions and CANCEL, every INVITE answered 302 (route on) or 603 (blocked).
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context.js';
import { MAX_MESSAGE_BYTES, SipParseError, headerEnd, headerValue, headerValues, parseCSeq, parseMessage, parseVia } from './parse-message.js';
import type { SipHeader, SipRequest } from './parse-message.js';
import { screenInvite, reasonPhrase } from './screen-invite.js';
import type { SipAnswer, SipScreeningOptions } from './screen-invite.js';

export const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, OPTIONS';
/** Transactions remembered for retransmissions (RFC 3261 Timer J/H: 32 s over UDP). */
const TRANSACTION_TTL_MS = 32_000;
const MAX_TRANSACTIONS = 50_000;

export interface SipServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

type Send = (text: string) => void;

interface Transaction {
  readonly at: number;
  /** The last response sent (100 Trying while pending, then the final one). */
  last: string | undefined;
  final: boolean;
  /** For a pending INVITE: the request, to answer 487 when a CANCEL arrives. */
  invite?: SipRequest;
  send?: Send;
}

/** Builds a response to a request's headers (RFC 3261 §8.2.6.2): Via, From, To, Call-ID and CSeq copied. */
export function buildResponse(headers: readonly SipHeader[], status: number, reason: string, toTag: string | undefined, extra: ReadonlyArray<[string, string]> = []): string {
  const lines = [`SIP/2.0 ${status} ${reasonPhrase(reason)}`];
  for (const via of headerValues(headers, 'via')) lines.push(`Via: ${via}`);
  const from = headerValue(headers, 'from');
  if (from !== undefined) lines.push(`From: ${from}`);
  let to = headerValue(headers, 'to');
  if (to !== undefined && toTag !== undefined && status > 100 && !/;\s*tag=/i.test(to.replace(/"(?:[^"\\]|\\.)*"/g, '').replace(/<[^>]*>/g, ''))) to = `${to};tag=${toTag}`;
  if (to !== undefined) lines.push(`To: ${to}`);
  const callId = headerValue(headers, 'call-id');
  if (callId !== undefined) lines.push(`Call-ID: ${callId}`);
  const cseq = headerValue(headers, 'cseq');
  if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
  for (const [name, value] of extra) lines.push(`${name}: ${value.replace(/[\r\n]+/g, ' ')}`);
  lines.push('Server: callshield', 'Content-Length: 0', '', '');
  return lines.join('\r\n');
}

export class SipHandler {
  private readonly transactions = new Map<string, Transaction>();

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: SipScreeningOptions,
    /** The decision for an INVITE; tests pass a slow one to exercise CANCEL. */
    private readonly decide: typeof screenInvite = screenInvite,
  ) {}

  get transactionCount(): number {
    return this.transactions.size;
  }

  private remember(key: string, tx: Transaction): void {
    const now = this.ctx.now();
    // Oldest first (Map keeps insertion order): drop expired ones, then any above the bound.
    for (const [k, t] of this.transactions) {
      if (now - t.at < TRANSACTION_TTL_MS && this.transactions.size < MAX_TRANSACTIONS) break;
      this.transactions.delete(k);
    }
    this.transactions.set(key, tx);
  }

  /** Handles one datagram or TCP frame. Never throws. */
  async handle(buf: Buffer, send: Send, transport: 'UDP' | 'TCP'): Promise<void> {
    try {
      await this.handleUnsafe(buf, send, transport);
    } catch (err) {
      this.ctx.logger.error({ err }, 'SIP message handling failed');
    }
  }

  private async handleUnsafe(buf: Buffer, send: Send, transport: 'UDP' | 'TCP'): Promise<void> {
    let req: SipRequest;
    try {
      const msg = parseMessage(buf, { stream: transport === 'TCP' });
      if (msg.kind === 'response') return; // a redirect server sends no requests, so expects no responses
      req = msg;
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      const headers = err.headers;
      // RFC 3261 §18.2.1 / §8.2: without a usable top Via there is nowhere to send a 400. Never answer an ACK.
      if (headers === undefined || !usableVia(headers) || /^ACK /i.test(buf.subarray(0, 4).toString('latin1'))) return;
      send(buildResponse(headers, 400, err.message, tagFor(headers)));
      return;
    }
    const branch = parseVia(headerValues(req.headers, 'via')[0] ?? '').branch ?? `${headerValue(req.headers, 'call-id')}|${parseCSeq(headerValue(req.headers, 'cseq') ?? '').seq}`;
    const toTag = tagFor(req.headers);
    if (req.method === 'ACK') return; // the ACK for our non-2xx final response: nothing to do

    const key = `${branch}|${req.method}`;
    const known = this.transactions.get(key);
    if (known) {
      if (known.last !== undefined) send(known.last);
      return;
    }
    if (req.method === 'CANCEL') {
      const invite = this.transactions.get(`${branch}|INVITE`);
      if (!invite) {
        const r = buildResponse(req.headers, 481, 'Call/Transaction Does Not Exist', toTag);
        this.remember(key, { at: this.ctx.now(), last: r, final: true });
        send(r);
        return;
      }
      const ok = buildResponse(req.headers, 200, 'OK', toTag);
      this.remember(key, { at: this.ctx.now(), last: ok, final: true });
      send(ok);
      if (!invite.final && invite.invite) {
        invite.final = true;
        invite.last = buildResponse(invite.invite.headers, 487, 'Request Terminated', toTag);
        (invite.send ?? send)(invite.last);
      }
      return;
    }
    if (req.method === 'OPTIONS') {
      const r = buildResponse(req.headers, 200, 'OK', toTag, [['Allow', ALLOWED_METHODS], ['Accept', 'application/sdp']]);
      this.remember(key, { at: this.ctx.now(), last: r, final: true });
      send(r);
      return;
    }
    if (req.method !== 'INVITE') {
      const r = buildResponse(req.headers, 405, 'Method Not Allowed', toTag, [['Allow', ALLOWED_METHODS]]);
      this.remember(key, { at: this.ctx.now(), last: r, final: true });
      send(r);
      return;
    }
    const mf = headerValue(req.headers, 'max-forwards');
    if (mf !== undefined && Number(mf) === 0) {
      const r = buildResponse(req.headers, 483, 'Too Many Hops', toTag);
      this.remember(key, { at: this.ctx.now(), last: r, final: true });
      send(r);
      return;
    }
    const tx: Transaction = { at: this.ctx.now(), last: undefined, final: false, invite: req, send };
    if (transport === 'UDP') {
      // RFC 3261 §17.2.1: 100 Trying at once over UDP, so the switch stops retransmitting.
      tx.last = buildResponse(req.headers, 100, 'Trying', undefined);
      send(tx.last);
    }
    this.remember(key, tx);
    let answer: SipAnswer;
    try {
      answer = await this.decide(this.ctx, req, this.opts);
    } catch (err) {
      this.ctx.logger.error({ err }, 'SIP screening failed');
      answer = { status: 500, reason: 'Server Internal Error', headers: [] };
    }
    if (tx.final) return; // cancelled meanwhile: the 487 went out
    tx.final = true;
    delete tx.invite;
    tx.last = buildResponse(req.headers, answer.status, answer.reason, toTag, answer.headers);
    send(tx.last);
  }
}

function usableVia(headers: readonly SipHeader[]): boolean {
  try {
    const vias = headerValues(headers, 'via');
    if (vias.length === 0) return false;
    parseVia(vias[0] ?? '');
    return headerValue(headers, 'call-id') !== undefined && headerValue(headers, 'from') !== undefined && headerValue(headers, 'to') !== undefined && headerValue(headers, 'cseq') !== undefined;
  } catch {
    return false;
  }
}

// One To tag per transaction, the same for every retransmission (derived, not remembered).
const TAG_SALT = randomBytes(8).toString('hex');
function tagFor(headers: readonly SipHeader[]): string {
  const seed = `${TAG_SALT}|${headerValues(headers, 'via')[0] ?? ''}|${headerValue(headers, 'call-id') ?? ''}`;
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return `cs${h.toString(16)}`;
}

/** Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3). */
function tcpConnection(socket: Socket, handler: SipHandler): void {
  let buf: Buffer = Buffer.alloc(0);
  const send: Send = (text) => {
    if (!socket.destroyed) socket.write(text);
  };
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      // RFC 5626 §3.5.1 keep-alive: CRLFCRLF is answered CRLF; stray CRLFs between messages are skipped.
      if (buf.subarray(0, 4).toString('latin1') === '\r\n\r\n') {
        send('\r\n');
        buf = buf.subarray(4);
        continue;
      }
      let skip = 0;
      while (skip < buf.length && (buf[skip] === 0x0d || buf[skip] === 0x0a) && !(buf.length - skip >= 4 && buf.subarray(skip, skip + 4).toString('latin1') === '\r\n\r\n')) skip++;
      if (skip > 0) buf = buf.subarray(skip);
      const end = headerEnd(buf);
      if (end === -1) {
        if (buf.length > MAX_MESSAGE_BYTES) socket.destroy();
        return;
      }
      const head = buf.subarray(0, end).toString('utf8');
      const m = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*\r?$/im.exec(head);
      if (!m) {
        // Without Content-Length the stream cannot be framed: answer 400 if possible and close.
        void handler.handle(buf.subarray(0, end), send, 'TCP').then(() => socket.end());
        buf = Buffer.alloc(0);
        return;
      }
      const total = end + Number(m[1]);
      if (total > MAX_MESSAGE_BYTES) {
        socket.destroy();
        return;
      }
      if (buf.length < total) return;
      const frame = buf.subarray(0, total);
      buf = buf.subarray(total);
      void handler.handle(Buffer.from(frame), send, 'TCP');
    }
  });
}

export async function startSipServer(
  ctx: AppContext,
  opts: SipScreeningOptions & { host: string; port: number; /** The decision (default: screening); the benchmark passes a 302-only one. */ decide?: typeof screenInvite },
): Promise<SipServer> {
  const handler = new SipHandler(ctx, opts, opts.decide);
  const sockets = new Set<Socket>();
  const tcp: TcpServer = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    tcpConnection(socket, handler);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.port, opts.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const udp: UdpSocket = createSocket(opts.host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    // Responses go back where the request came from (RFC 3581 rport behaviour, which also suits NAT).
    void handler.handle(msg, (text) => udp.send(text, rinfo.port, rinfo.address, () => undefined), 'UDP');
  });
  udp.on('error', (err) => ctx.logger.error({ err }, 'SIP UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, opts.host, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  return {
    host: opts.host,
    port,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
