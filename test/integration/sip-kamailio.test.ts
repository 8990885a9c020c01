// The carrier path of docs/sip.md with real peers: sipp UAC → Kamailio → callshield; Kamailio
// follows the 302 to a sipp UAS (which checks callshield's headers arrived), or relays the 603.
// The Kamailio configuration is the one in docs/sip.md, with only the addresses replaced.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { startSipServer } from '../../src/sip/server.js';
import type { SipServer } from '../../src/sip/server.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'test/fixtures/sip');
const has = (cmd: string, arg: string): boolean => spawnSync(cmd, [arg]).error === undefined;
const ready = has('sipp', '-v') && has('kamailio', '-v');
const BLOCKED = '+8613100131000';
const CALLEE = '+8613800138000';

/** A port free for TCP at the moment (UDP on the same number is almost always free too). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function run(cmd: string, args: string[], cwd: string): { proc: ChildProcess; done: Promise<number | null> } {
  const proc = spawn(cmd, args, { cwd, stdio: 'ignore' });
  return { proc, done: new Promise((resolve) => proc.once('exit', (code) => resolve(code))) };
}

describe('carrier path: sipp → Kamailio → callshield → sipp UAS', { skip: ready ? false : 'sipp and kamailio are not both installed' }, () => {
  let t: TestServer;
  let sip: SipServer;
  let work: string;
  let kamailio: ChildProcess | undefined;
  let proxyPort: number;
  let uasPort: number;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'callshield-kamailio-'));
    t = await startTestServer();
    sip = await startSipServer(t.ctx, { host: '127.0.0.1', port: 0, actor: { orgId: 'sip', orgName: 'SIP interface', role: 'carrier', person: 'sip' }, redressUrl: 'https://redress.example.org/appeals' });
    const res = await t.call('POST', '/v1/lists', {
      role: 'police',
      body: { name: 'Kamailio test mule numbers', category: 'fraud', expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), entries: [{ identifier: BLOCKED, reason: 'case 2026-202' }] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    proxyPort = await freePort();
    uasPort = await freePort();
    const doc = readFileSync(join(ROOT, 'docs/sip.md'), 'utf8');
    const m = /```\n(#!KAMAILIO[\s\S]*?)```/.exec(doc);
    assert.ok(m, 'docs/sip.md has the Kamailio configuration');
    const cfg = m[1]!
      .replace('"sip:127.0.0.1:5070"', `"sip:127.0.0.1:${sip.port}"`)
      .replace('"sip:127.0.0.1:5090"', `"sip:127.0.0.1:${uasPort}"`)
      .replaceAll('127.0.0.1:5060', `127.0.0.1:${proxyPort}`)
      .replace('children=4', 'children=2');
    writeFileSync(join(work, 'kamailio.cfg'), cfg);
    const check = spawnSync('kamailio', ['-c', '-f', join(work, 'kamailio.cfg')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    kamailio = spawn('kamailio', ['-DD', '-E', '-f', join(work, 'kamailio.cfg'), '-Y', work], { cwd: work, stdio: 'ignore' });
    // Kamailio takes a moment to bind: the first call below is retried until it gets through.
  });

  after(async () => {
    if (kamailio && kamailio.exitCode === null) {
      const gone = new Promise((resolve) => kamailio!.once('exit', resolve));
      kamailio.kill('SIGTERM');
      await gone;
    }
    await sip?.close();
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('an unknown caller: Kamailio follows the 302 and the UAS gets the INVITE with the verdict; the call completes', async () => {
    const uas = run('sipp', ['-sf', join(FIXTURES, 'uas-screened.xml'), '-p', String(uasPort), '-i', '127.0.0.1', '-m', '1', '-nostdin', '-timeout', '30s', '-timeout_error', '-trace_err', '-error_file', join(work, 'uas-err.log'), '-trace_msg', '-message_file', join(work, 'uas-msg.log')], work);
    let uac: number | null = null;
    // The UAS may need a moment to bind; a UAC run that met no UAS gets a 408 and is retried.
    // A UAC that finds Kamailio not yet bound fails at once (ICMP unreachable), so wait between tries.
    for (let i = 0; i < 20 && uac !== 0; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      uac = await run('sipp', [`127.0.0.1:${proxyPort}`, '-sf', join(FIXTURES, 'call-through-proxy.xml'), '-m', '1', '-t', 'u1', '-i', '127.0.0.1', '-nostdin', '-timeout', '15s', '-timeout_error', '-key', 'caller', '+8613912345678', '-key', 'callee', CALLEE], work).done;
    }
    assert.equal(uac, 0);
    const uasCode = await uas.done;
    const log = (f: string): string => { try { return readFileSync(join(work, f), 'utf8'); } catch { return '(none)'; } };
    assert.equal(uasCode, 0, `UAS errors:\n${log('uas-err.log')}\nUAS messages:\n${log('uas-msg.log')}`);
  });

  it('a police-listed caller: Kamailio relays the 603 Network Blocked with Reason and the redress jCard', async () => {
    const code = await run('sipp', [`127.0.0.1:${proxyPort}`, '-sf', join(FIXTURES, 'invite-603.xml'), '-m', '1', '-t', 'u1', '-i', '127.0.0.1', '-nostdin', '-timeout', '15s', '-timeout_error', '-key', 'caller', BLOCKED, '-key', 'callee', CALLEE], work).done;
    assert.equal(code, 0);
  });
});
