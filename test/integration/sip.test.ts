// The SIP screening redirect server against a real peer: sipp (Debian package sip-tester) as the
// UAC over UDP and TCP, with the scenarios in test/fixtures/sip/. sipp exits 0 only when every
// expected response arrived with the headers its scenario checks.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { SipHandler, startSipServer } from '../../src/sip/server.js';
import { parseMessage } from '../../src/sip/parse-message.js';
import type { SipAnswer } from '../../src/sip/screen-invite.js';
import { seededRandom } from '../../src/seeded-random.js';
import type { SipServer } from '../../src/sip/server.js';

const FIXTURES = new URL('../fixtures/sip/', import.meta.url).pathname;
const hasSipp = spawnSync('sipp', ['-v']).error === undefined;
const BLOCKED = '+8613100131000';
const CALLEE = '+8613800138000';

let t: TestServer;
let sip: SipServer;
let work: string;

function sipp(scenario: string, transport: 'u1' | 't1', keys: Record<string, string> = {}): Promise<number | null> {
  const args = [`127.0.0.1:${sip.port}`, '-sf', join(FIXTURES, scenario), '-m', '1', '-t', transport, '-nostdin', '-timeout', '15s', '-timeout_error', '-i', '127.0.0.1'];
  for (const [k, v] of Object.entries(keys)) args.push('-key', k, v);
  return new Promise((resolve) => {
    const p = spawn('sipp', args, { cwd: work, stdio: 'ignore' });
    p.once('exit', (code) => resolve(code));
  });
}

/** One raw UDP request, the responses that come back within a short while. */
function udpExchange(text: string, count: number): Promise<string[]> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const got: string[] = [];
    const done = (): void => {
      sock.close();
      resolve(got);
    };
    const timer = setTimeout(done, 3000);
    sock.on('message', (m) => {
      got.push(m.toString('utf8'));
      if (got.length >= count) {
        clearTimeout(timer);
        done();
      }
    });
    sock.send(text, sip.port, '127.0.0.1');
  });
}

describe('SIP screening server with sipp', { skip: hasSipp ? false : 'sipp (sip-tester) is not installed' }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'callshield-sipp-'));
    t = await startTestServer();
    sip = await startSipServer(t.ctx, { host: '127.0.0.1', port: 0, actor: { orgId: 'sip', orgName: 'SIP interface', role: 'carrier', person: 'sip' }, redressUrl: 'https://redress.example.org/appeals' });
    const res = await t.call('POST', '/v1/lists', {
      role: 'police',
      body: { name: 'SIP test mule numbers', category: 'fraud', expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), entries: [{ identifier: BLOCKED, reason: 'case 2026-201' }] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
  after(async () => {
    await sip?.close();
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  for (const transport of ['u1', 't1'] as const) {
    const name = transport === 'u1' ? 'UDP' : 'TCP';
    it(`${name}: an unknown caller is routed on with 302`, async () => {
      assert.equal(await sipp('invite-302.xml', transport, { caller: '+8613912345678', callee: CALLEE }), 0);
    });
    it(`${name}: a police-listed caller gets 603 Network Blocked with Reason and redress`, async () => {
      assert.equal(await sipp('invite-603.xml', transport, { caller: BLOCKED, callee: CALLEE }), 0);
    });
    it(`${name}: the blocked caller does not pass the 302 scenario (the check can fail)`, async () => {
      assert.notEqual(await sipp('invite-302.xml', transport, { caller: BLOCKED, callee: CALLEE }), 0);
    });
    it(`${name}: a malformed INVITE gets 400 with the reason`, async () => {
      assert.equal(await sipp('malformed.xml', transport, { caller: '+8613912345678', callee: CALLEE }), 0);
    });
    it(`${name}: OPTIONS is answered 200 with Allow`, async () => {
      assert.equal(await sipp('options.xml', transport), 0);
    });
  }

  const invite = (branch: string, extra = ''): string =>
    [
      `INVITE sip:${CALLEE}@127.0.0.1;user=phone SIP/2.0`,
      `v: SIP/2.0/UDP 127.0.0.1:5999;branch=${branch};rport`,
      `f: "Someone" <sip:013800138001@carrier.example;user=phone>;tag=a1`,
      `t: <tel:${CALLEE}>`,
      `i: ${branch}@test`,
      'CSeq: 7 INVITE',
      'Max-Forwards: 70',
      ...(extra ? [extra] : []),
      'l: 0',
      '',
      '',
    ].join('\r\n');

  it('a retransmitted INVITE is answered from the transaction cache with the same final response', async () => {
    const first = await udpExchange(invite('z9hG4bK-retx-1'), 2);
    assert.match(first[0] ?? '', /^SIP\/2\.0 100 Trying\r\n/);
    assert.match(first[1] ?? '', /^SIP\/2\.0 302 Moved Temporarily\r\n/);
    assert.match(first[1] ?? '', /\r\nContact: <sip:\+8613800138000@127\.0\.0\.1;user=phone>\r\n/);
    assert.match(first[1] ?? '', /\r\nX-Callshield-Score: \d/);
    const again = await udpExchange(invite('z9hG4bK-retx-1'), 1);
    assert.equal(again[0], first[1]);
  });

  it('the From number in national form is read in the default region and shown on P-Asserted-Identity', async () => {
    const [, final] = await udpExchange(invite('z9hG4bK-nat-1'), 2);
    assert.match(final ?? '', /\r\nP-Asserted-Identity: .*<sip:013800138001@carrier\.example;user=phone>\r\n/);
  });

  it('other methods get 405 with Allow; a message without a usable Via gets nothing', async () => {
    const bye = invite('z9hG4bK-bye-1').replace(/^INVITE/, 'BYE').replace('7 INVITE', '7 BYE');
    const [r] = await udpExchange(bye, 1);
    assert.match(r ?? '', /^SIP\/2\.0 405 Method Not Allowed\r\n/);
    assert.match(r ?? '', /\r\nAllow: INVITE, ACK, CANCEL, OPTIONS\r\n/);
    const noVia = invite('z9hG4bK-novia-1').replace(/v: [^\r]*\r\n/, '');
    assert.deepEqual(await udpExchange(noVia, 1), []);
  });

  it('CANCEL of a pending INVITE: 200 to the CANCEL, 487 to the INVITE, and the late decision is dropped', async () => {
    const sent: string[] = [];
    let release: (a: SipAnswer) => void = () => undefined;
    const slow = (): Promise<SipAnswer> => new Promise((resolve) => (release = resolve));
    const handler = new SipHandler(t.ctx, { actor: { orgId: 'sip', orgName: 'sip', role: 'carrier', person: 'sip' }, redressUrl: 'https://r.example' }, slow);
    const pending = handler.handle(Buffer.from(invite('z9hG4bK-cancel-1')), (x) => sent.push(x), 'UDP');
    const cancel = invite('z9hG4bK-cancel-1').replace(/^INVITE/, 'CANCEL').replace('7 INVITE', '7 CANCEL');
    await handler.handle(Buffer.from(cancel), (x) => sent.push(x), 'UDP');
    release({ status: 302, reason: 'Moved Temporarily', headers: [] });
    await pending;
    assert.deepEqual(sent.map((x) => x.split('\r\n')[0]), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK', 'SIP/2.0 487 Request Terminated']);
    assert.match(sent[1]!, /\r\nCSeq: 7 CANCEL\r\n/);
    assert.match(sent[2]!, /\r\nCSeq: 7 INVITE\r\n/);
    // The INVITE's retransmission now gets the 487 from the cache; its ACK is absorbed.
    await handler.handle(Buffer.from(invite('z9hG4bK-cancel-1')), (x) => sent.push(x), 'UDP');
    assert.equal(sent[3], sent[2]);
    await handler.handle(Buffer.from(invite('z9hG4bK-cancel-1').replace(/^INVITE/, 'ACK').replace('7 INVITE', '7 ACK')), (x) => sent.push(x), 'UDP');
    assert.equal(sent.length, 4);
  });

  it('CANCEL of an unknown transaction gets 481', async () => {
    const cancel = invite('z9hG4bK-nothing-1').replace(/^INVITE/, 'CANCEL').replace('7 INVITE', '7 CANCEL');
    const [r] = await udpExchange(cancel, 1);
    assert.match(r ?? '', /^SIP\/2\.0 481 /);
  });

  // Mutated INVITEs at the live server: every answer is a well-formed SIP response and the server
  // still answers OPTIONS afterwards.
  it('fuzz: 1500 mutated INVITEs over UDP get well-formed answers or none, and the server stays up', async () => {
    const rnd = seededRandom(13);
    const specials = ['\r\n', ':', ';', ',', '<', '>', '"', ' ', '\0', 'l: 5', 'Max-Forwards: 0', '\r\n\r\n'];
    const sock = createSocket('udp4');
    const got: string[] = [];
    sock.on('message', (m) => got.push(m.toString('utf8')));
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
    for (let i = 0; i < 1500; i++) {
      let text = invite(`z9hG4bK-fuzz-${i}`);
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
        const at = Math.floor(rnd() * text.length);
        text = rnd() < 0.5 ? text.slice(0, at) + specials[Math.floor(rnd() * specials.length)]! + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 8));
      }
      sock.send(text, sip.port, '127.0.0.1');
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 1500));
    sock.close();
    assert.ok(got.length > 100, `${got.length} answers`);
    for (const g of got) assert.equal(parseMessage(Buffer.from(g)).kind, 'response', g);
    const opts = invite('z9hG4bK-after-fuzz').replace(/^INVITE/, 'OPTIONS').replace('7 INVITE', '7 OPTIONS');
    const [r] = await udpExchange(opts, 1);
    assert.match(r ?? '', /^SIP\/2\.0 200 OK\r\n/);
  });
});

// The CLI: `callshield serve --sip-port 0 --sip-host 127.0.0.1` as its own process, probed by sipp.
describe('callshield serve --sip-port', { skip: !hasSipp ? 'sipp (sip-tester) is not installed' : process.env.CALLSHIELD_TEST_ENGINE === 'postgres' ? 'uses a SQLite file' : false }, () => {
  it('listens for SIP over UDP and TCP and answers OPTIONS and INVITE; an unknown --sip-org is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callshield-sipcli-'));
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    for (const k of ['CALLSHIELD_DB', 'DATABASE_URL', 'PORT', 'HOST', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[k];
    const root = new URL('../..', import.meta.url).pathname;
    const serve = (extra: string[]) => spawn(process.execPath, ['bin/callshield.js', 'serve', '--db', join(dir, 'c.db'), '--port', '0', '--sip-port', '0', '--sip-host', '127.0.0.1', ...extra], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = serve([]);
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /SIP listening on 127\.0\.0\.1:(\d+) \(UDP and TCP\)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        proc.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      work = dir;
      const prev = sip;
      sip = { host: '127.0.0.1', port, close: async () => undefined };
      try {
        assert.equal(await sipp('options.xml', 'u1'), 0);
        assert.equal(await sipp('options.xml', 't1'), 0);
        assert.equal(await sipp('invite-302.xml', 't1', { caller: '+8613912345678', callee: CALLEE }), 0);
      } finally {
        sip = prev;
      }
    } finally {
      await new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    }
    const bad = serve(['--sip-org', 'No Such Carrier']);
    const [code, stderr] = await new Promise<[number | null, string]>((resolve) => {
      let err = '';
      bad.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      bad.once('exit', (c) => resolve([c, err]));
    });
    assert.notEqual(code, 0);
    assert.match(stderr, /No Such Carrier/);
    rmSync(dir, { recursive: true, force: true });
  });
});
