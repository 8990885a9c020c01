import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager, PubAck } from '@nats-io/jetstream';
import { CallshieldError } from '../../errors.js';
import { presizeNatsPayloads } from './nats-presized-payloads.js';

// The NATS side of streamed call records that needs no store: the stream's names, the connection,
// the stream's creation and `callshield cdr publish`. Kept apart from the consumer (cdr-stream.ts),
// which needs the whole application, so that publishing a file loads NATS and nothing else.

const MESSAGE_BYTES = 256 * 1024;
const PUBLISH_WINDOW = 32;

/** JetStream names allow no dots, spaces, '*', '>'; the stream and durable consumer are named after the subject. */
export function cdrStreamNames(subject: string): { stream: string; durable: string } {
  const base = subject.replace(/[^A-Za-z0-9_-]/g, '_');
  return { stream: `CALLSHIELD_CDR_${base}`, durable: `callshield-cdr-${base}` };
}

export function checkSubject(subject: string, field: string): void {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(subject) || subject.length > 200) {
    throw new CallshieldError('REQUEST_INVALID_QUERY', `${field} must be a NATS subject of letters, digits, '-' and '_' separated by dots (no wildcards)`, { field });
  }
}

export async function connectNats(url: string, field: string, name: string, o: { reconnect?: boolean } = {}): Promise<NatsConnection> {
  presizeNatsPayloads();
  try {
    // A consumer's connection never gives up reconnecting (the client's default stops after 10 tries).
    return await connect({ servers: url, name, timeout: 5000, ...(o.reconnect ? { maxReconnectAttempts: -1, reconnectTimeWait: 1000 } : {}) });
  } catch (err) {
    throw new CallshieldError('CONFIG_INVALID', `${field}: cannot reach NATS at ${url} (${(err as Error).message})`, { field, cause: err });
  }
}

/** The stream that holds the subject: created (file storage, limits retention) when missing. */
export async function ensureStream(jsm: JetStreamManager, subject: string): Promise<string> {
  const { stream } = cdrStreamNames(subject);
  try {
    await jsm.streams.info(stream);
  } catch {
    try {
      await jsm.streams.add({ name: stream, subjects: [subject], duplicate_window: 120_000_000_000 });
    } catch (err) {
      // Another process created it in between; anything else is real.
      await jsm.streams.info(stream).catch(() => {
        throw err;
      });
    }
  }
  return stream;
}

export interface PublishResult {
  stream: string;
  subject: string;
  messages: number;
  lines: number;
  bytes: number;
  firstSequence: number | null;
  lastSequence: number | null;
}

/**
 * `callshield cdr publish FILE`: the file's lines in messages of at most 256 kB, each starting with
 * the file's header line (when it has one) and carrying the file line number of its first record
 * (header `Cdr-Line`) and a message id (`Nats-Msg-Id`, so a publish retried after a lost
 * acknowledgement is stored once).
 */
export async function publishCdrFile(path: string, opts: { url: string; subject: string }): Promise<PublishResult> {
  checkSubject(opts.subject, 'subject');
  let totalBytes: number;
  try {
    totalBytes = statSync(path).size;
  } catch {
    throw new CallshieldError('GOVERNANCE_INVALID_CSV', `cannot read ${path}`, { field: 'file' });
  }
  const nc = await connectNats(opts.url, 'nats', 'callshield cdr publish');
  try {
    const jsm = await jetstreamManager(nc);
    const stream = await ensureStream(jsm, opts.subject);
    const js = jetstream(nc);
    const runId = randomUUID();
    const fd = openSync(path, 'r');
    const buf = Buffer.allocUnsafe(4 << 20);
    let rest = Buffer.alloc(0);
    let header: Buffer | null = null;
    let firstLine = true;
    let lineNo = 0;
    let messages = 0;
    let lines = 0;
    let first: number | null = null;
    let last: number | null = null;
    const inFlight: Promise<PubAck>[] = [];
    const settle = async (max: number): Promise<void> => {
      while (inFlight.length > max) {
        const ack = await inFlight.shift()!;
        if (first === null) first = ack.seq;
        last = ack.seq;
      }
    };
    const send = async (body: Buffer, startLine: number, count: number): Promise<void> => {
      const h = natsHeaders();
      h.set('Cdr-Line', String(startLine));
      const data = header ? Buffer.concat([header, body]) : body;
      inFlight.push(js.publish(opts.subject, data, { msgID: `${runId}:${messages}`, headers: h, timeout: 30_000 }));
      messages++;
      lines += count;
      await settle(PUBLISH_WINDOW);
    };
    try {
      let eof = false;
      while (!eof) {
        const n = readSync(fd, buf, 0, buf.length, null);
        eof = n === 0;
        let text = n > 0 ? Buffer.concat([rest, buf.subarray(0, n)]) : rest;
        if (eof && text.length > 0 && text[text.length - 1] !== 10) text = Buffer.concat([text, Buffer.from('\n')]);
        let i = 0;
        if (firstLine) {
          const j = text.indexOf(10);
          if (j < 0 && !eof) {
            rest = text;
            continue;
          }
          firstLine = false;
          const line = text.subarray(0, j + 1).toString('latin1');
          if (/(^|,)\s*caller\s*(,|$)/i.test(line.trim())) {
            header = Buffer.from(text.subarray(0, j + 1));
            i = j + 1;
            lineNo = 1;
          }
        }
        // Cut at line ends into messages of at most MESSAGE_BYTES.
        while (i < text.length) {
          let end = Math.min(text.length, i + MESSAGE_BYTES);
          if (end < text.length || !eof) {
            const j = text.lastIndexOf(10, end - 1);
            if (j < i) {
              if (end < text.length) {
                // A line longer than a message: send it alone (the consumer reports it malformed).
                const k = text.indexOf(10, end);
                if (k < 0) break;
                end = k + 1;
              } else break;
            } else end = j + 1;
          }
          const body = text.subarray(i, end);
          let count = 0;
          for (let k = 0; k < body.length; k++) if (body[k] === 10) count++;
          await send(Buffer.from(body), lineNo + 1, count);
          lineNo += count;
          i = end;
        }
        rest = Buffer.from(text.subarray(i));
      }
      await settle(0);
    } finally {
      closeSync(fd);
    }
    void totalBytes;
    return { stream, subject: opts.subject, messages, lines, bytes: totalBytes, firstSequence: first, lastSequence: last };
  } finally {
    await nc.drain().catch(() => undefined);
  }
}
