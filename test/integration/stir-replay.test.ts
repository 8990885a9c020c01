// Issue 13 part 2 item 3: the same PASSporT on another call (another SIP Call-ID) within its
// freshness window is a replay: 403 with STIR_REPLAYED, counted against the caller; the same call
// asking again (a retransmission, a fork keeping its Call-ID) is not. Tokens signed by secsipidx
// with an openssl-built certificate; through sipp, POST /v1/screen, and across two nodes on one
// database (the change log).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadedStir } from '../../src/operations/stir/runtime.js';
import { replayGuardSize } from '../../src/operations/stir/replay.js';
import { startSipServer } from '../../src/sip/server.js';
import type { SipServer } from '../../src/sip/server.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { HAVE_PEERS, createOpensslPki, removePki, secsipidxSign, startLoopbackHttp } from '../helpers/openssl-shaken-pki.js';
import type { OpensslLeaf, OpensslShakenPki } from '../helpers/openssl-shaken-pki.js';

const FIXTURES = new URL('../fixtures/sip/', import.meta.url).pathname;
const HAVE_SIPP = spawnSync('sipp', ['-v']).error === undefined;
const DEST = '12155551213';
let callerSeq = 0;
/** A fresh calling number per test, so histories do not mix. */
const nextCaller = (): string => `1215555${String(2000 + callerSeq++)}`;

describe('replayed PASSporTs', { skip: HAVE_PEERS ? false : 'secsipidx or openssl is not on PATH' }, () => {
  let pki: OpensslShakenPki;
  let leaf: OpensslLeaf;
  let x5uHost: Awaited<ReturnType<typeof startLoopbackHttp>>;
  let t: TestServer;
  const sign = (orig: string): string => secsipidxSign({ orig, dest: DEST, x5u: `${x5uHost.base}/leaf.pem`, keyFile: leaf.keyFile });

  before(async () => {
    pki = createOpensslPki();
    leaf = pki.leaf('1234');
    x5uHost = await startLoopbackHttp({ '/leaf.pem': (_q, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(leaf.certificatePem) });
    t = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: pki.caFile });
  });
  after(async () => {
    await t?.close();
    await x5uHost?.close();
    if (pki) removePki(pki);
  });

  async function screen(server: TestServer, orig: string, identity: string, callId?: string): Promise<any> {
    const res = await server.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${orig}`, callee: `+${DEST}`, channel: 'pstn', identity, ...(callId ? { callId } : {}) } });
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  it('POST /v1/screen: the same token on another callId is STIR_REPLAYED (403, failed) and counts as failed', async () => {
    const orig = nextCaller();
    const identity = sign(orig);
    const first = await screen(t, orig, identity, 'call-a@switch');
    assert.equal(first.verification.verstat, 'TN-Validation-Passed');
    const again = await screen(t, orig, identity, 'call-a@switch');
    assert.equal(again.verification.verstat, 'TN-Validation-Passed', 'the same call asking again is no replay');
    const replay = await screen(t, orig, identity, 'call-b@switch');
    assert.equal(replay.verification.verstat, 'TN-Validation-Failed');
    assert.equal(replay.verification.reasonCode, 403);
    assert.equal(replay.verification.failure, 'STIR_REPLAYED');
    assert.ok(replay.reasons.some((r: { code: string }) => r.code === 'STIR_REPLAYED'), JSON.stringify(replay.reasons));
    assert.ok(replay.score > first.score, 'the replay scores worse than the genuine call');
    const h = loadedStir(t.ctx)?.history.get(`+${orig}`);
    assert.equal(h?.A, 2);
    assert.equal(h?.failed, 1, 'the replay counts against the caller');
  });

  it('without a callId nothing can be told apart: no replay verdict', async () => {
    const orig = nextCaller();
    const identity = sign(orig);
    for (let i = 0; i < 3; i++) assert.equal((await screen(t, orig, identity)).verification.verstat, 'TN-Validation-Passed');
  });

  it('a token that failed for another reason is not remembered (no replay verdict against the genuine call)', async () => {
    const orig = nextCaller();
    const identity = sign(orig);
    const wrongCaller = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: `+${nextCaller()}`, callee: `+${DEST}`, channel: 'pstn', identity, callId: 'attacker-first' } });
    assert.equal(wrongCaller.body.verification.reasonCode, 438);
    assert.equal((await screen(t, orig, identity, 'genuine')).verification.verstat, 'TN-Validation-Passed');
  });

  it('across nodes: a token accepted on node 1 is a replay on node 2 (one database, the change log)', async () => {
    const { databaseUrl, secretFile, auditKeyFile } = t.ctx.config;
    const same = databaseUrl ? { databaseUrl, secretFile, auditKeyFile } : { dbPath: t.dbPath };
    const node2 = await startTestServer({ stirAllowHttpX5u: true, stirCaFile: pki.caFile, ...same });
    try {
      const orig = nextCaller();
      const identity = sign(orig);
      await new Promise((r) => setTimeout(r, 400)); // earlier tests' tokens are shared by now
      await node2.ctx.applyChanges();
      const known = replayGuardSize(node2.ctx);
      assert.equal((await screen(t, orig, identity, 'node1-call')).verification.verstat, 'TN-Validation-Passed');
      // Node 1 shares its tokens within a fraction of a second; node 2 applies the change log (its
      // change feed would, every second or on NOTIFY).
      for (let i = 0; i < 50 && replayGuardSize(node2.ctx) === known; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await node2.ctx.applyChanges();
      }
      const r = await screen(node2, orig, identity, 'node2-call');
      const verdict = r.verification.failure ?? r.verification.verstat;
      assert.equal(verdict, 'STIR_REPLAYED');
    } finally {
      await node2.close();
    }
  });

  describe('SIP', { skip: HAVE_SIPP ? false : 'sipp (sip-tester) is not installed' }, () => {
    let sip: SipServer;
    before(async () => {
      sip = await startSipServer(t.ctx, { host: '127.0.0.1', port: 0, actor: { orgId: 'sip', orgName: 'SIP interface', role: 'carrier', person: 'sip' }, redressUrl: 'https://redress.example.org/appeals' });
    });
    after(async () => sip?.close());

    const sipp = (scenario: string, orig: string, identity: string, callId: string): Promise<number | null> => {
      const args = [`127.0.0.1:${sip.port}`, '-sf', join(FIXTURES, scenario), '-m', '1', '-t', 'u1', '-nostdin', '-timeout', '15s', '-timeout_error', '-i', '127.0.0.1', '-cid_str', callId];
      args.push('-key', 'caller', `+${orig}`, '-key', 'callee', `+${DEST}`, '-key', 'identity', identity);
      return new Promise((resolve) => spawn('sipp', args, { cwd: pki.dir, stdio: 'ignore' }).once('exit', (code) => resolve(code)));
    };

    it('the same token on an INVITE with another Call-ID gets verstat=TN-Validation-Failed and Reason: STIR;cause=403', async () => {
      const orig = nextCaller();
      const identity = sign(orig);
      assert.equal(await sipp('invite-signed.xml', orig, identity, 'sip-call-1@%s'), 0);
      // The same Call-ID again (a fork or a new branch of the same call): still passed.
      assert.equal(await sipp('invite-signed.xml', orig, identity, 'sip-call-1@%s'), 0);
      assert.equal(await sipp('invite-replayed.xml', orig, identity, 'sip-call-2@%s'), 0);
    });
  });
});
