// The outbound fetch guard (src/operations/outbound-fetch.ts): which addresses are refused, that
// the check is made after name resolution and the connection goes to the checked address, that
// every redirect hop is checked again, and the plain outcomes delivery logs show.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGuardedFetch, describeOutboundFailure, literalHostRefusal, OutboundFetchError, refusedAddressReason } from '../../../src/operations/outbound-fetch.js';
import type { ResolvedAddress } from '../../../src/operations/outbound-fetch.js';

interface Seen {
  method: string;
  url: string;
  host: string;
  body: string;
}

async function listen(handler: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '', body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

/** Lets this test's loopback receivers stand in for "public" hosts: only 127.0.0.1 itself passes. */
const onlyTestLoopback = (address: string): string | undefined => (address === '127.0.0.1' ? undefined : refusedAddressReason(address));

function resolverOf(names: Record<string, string>, calls: string[] = []): (host: string) => Promise<ResolvedAddress[]> {
  return async (host) => {
    calls.push(host);
    const address = names[host];
    if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
}

describe('refusedAddressReason', () => {
  const refused: [string, RegExp][] = [
    ['127.0.0.1', /loopback/],
    ['127.8.9.10', /loopback/],
    ['10.1.2.3', /private/],
    ['172.16.5.4', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /metadata/],
    ['169.254.1.1', /link-local/],
    ['100.64.0.1', /CGNAT/],
    ['100.127.255.254', /CGNAT/],
    ['0.0.0.0', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['255.255.255.255', /reserved/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fc00::1', /private/],
    ['fd12:3456::1', /private/],
    ['fd00:ec2::254', /metadata/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /loopback \(IPv4 in IPv6\)/],
    ['::ffff:7f00:1', /loopback/],
    ['::ffff:10.0.0.1', /private/],
    ['::ffff:169.254.169.254', /metadata/],
    ['64:ff9b::a9fe:a9fe', /metadata/],
    ['2002:7f00:1::', /loopback/],
    ['::127.0.0.1', /reserved/],
    ['not-an-address', /not an IP/],
  ];
  for (const [address, want] of refused) {
    it(`refuses ${address}`, () => assert.match(refusedAddressReason(address) ?? 'allowed', want));
  }
  for (const address of ['8.8.8.8', '1.1.1.1', '100.128.0.1', '172.32.0.1', '169.255.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::']) {
    it(`lets ${address} through`, () => assert.equal(refusedAddressReason(address), undefined));
  }
});

describe('literalHostRefusal (registration time)', () => {
  for (const url of ['http://127.0.0.1/hook', 'http://[::1]:8080/', 'http://localhost:9000/', 'http://api.localhost/', 'http://0x7f.1/', 'http://2130706433/', 'http://169.254.169.254/latest', 'https://10.0.0.8/', 'http://[::ffff:192.168.0.1]/']) {
    it(`refuses ${url}`, () => assert.ok(literalHostRefusal(new URL(url)) !== undefined));
  }
  for (const url of ['https://hooks.bank.example/callshield', 'http://8.8.8.8/']) {
    it(`accepts ${url}`, () => assert.equal(literalHostRefusal(new URL(url)), undefined));
  }
});

describe('createGuardedFetch', () => {
  let target: Awaited<ReturnType<typeof listen>>;
  let redirector: Awaited<ReturnType<typeof listen>>;
  let redirectTo = '';
  let redirectStatus = 302;

  before(async () => {
    target = await listen((_req, body, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${body}`));
    redirector = await listen((_req, _body, res) => res.writeHead(redirectStatus, { location: redirectTo }).end());
  });
  after(() => {
    for (const s of [target.server, redirector.server]) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('refuses a loopback literal and a name that resolves to loopback before connecting', async () => {
    const before = target.seen.length;
    const guarded = createGuardedFetch({ allowPrivate: false });
    for (const url of [`http://127.0.0.1:${target.port}/`, `http://[::ffff:127.0.0.1]:${target.port}/`, `http://localhost:${target.port}/`]) {
      await assert.rejects(guarded(url), (err: unknown) => {
        assert.ok(err instanceof OutboundFetchError);
        assert.equal(err.outcome, 'refused: private address');
        return true;
      }, url);
    }
    assert.equal(target.seen.length, before, 'nothing reached the receiver');
    // The same with CALLSHIELD_ALLOW_PRIVATE_FETCH.
    const allowed = await createGuardedFetch({ allowPrivate: true })(`http://localhost:${target.port}/`);
    assert.equal(allowed.status, 200);
    assert.equal(await allowed.text(), 'ok ');
  });

  it('refuses when any address of a name is private', async () => {
    const resolve = async (): Promise<ResolvedAddress[]> => [{ address: '127.0.0.1', family: 4 }, { address: '10.0.0.7', family: 4 }];
    await assert.rejects(createGuardedFetch({ allowPrivate: false, resolve, refuse: onlyTestLoopback })(`http://two.example:${target.port}/`), { outcome: 'refused: private address' });
  });

  it('connects to the address it checked, not to a later DNS answer (rebinding)', async () => {
    const calls: string[] = [];
    let answers = 0;
    // First answer: the (allowed) receiver; any later answer: a private address.
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      calls.push(host);
      return [{ address: answers++ === 0 ? '127.0.0.1' : '10.9.9.9', family: 4 }];
    };
    const guarded = createGuardedFetch({ allowPrivate: false, resolve, refuse: onlyTestLoopback });
    // rebind.example is in no DNS: the request only works because it goes to the checked answer.
    const res = await guarded(`http://rebind.example:${target.port}/pinned`, { method: 'POST', body: 'payload' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok payload');
    assert.deepEqual(calls, ['rebind.example'], 'resolved once, for the check');
    assert.equal(target.seen.at(-1)?.host, `rebind.example:${target.port}`);
  });

  it('checks every redirect hop: a public-looking URL redirecting to a private one is refused', async () => {
    const names = { 'public.example': '127.0.0.1', 'internal.example': '10.0.0.8', 'metadata.example': '169.254.169.254', localhost: '::1' };
    const guarded = createGuardedFetch({ allowPrivate: false, resolve: resolverOf(names), refuse: onlyTestLoopback });
    const before = target.seen.length;
    for (const to of ['http://169.254.169.254/latest/meta-data/', 'http://internal.example/admin', 'http://metadata.example/', `http://[::ffff:127.0.0.1]:${target.port}/`, `http://localhost:${target.port}/`, 'http://10.0.0.8/']) {
      redirectTo = to;
      await assert.rejects(guarded(`http://public.example:${redirector.port}/start`), { outcome: 'refused: private address' }, to);
    }
    assert.equal(target.seen.length, before);
    // An allowed hop is followed.
    redirectTo = `http://public.example:${target.port}/landed`;
    const res = await guarded(`http://public.example:${redirector.port}/start`);
    assert.equal(res.status, 200);
    assert.equal(target.seen.at(-1)?.url, '/landed');
  });

  it('follows a POST only through 307/308 (body kept); a 302 is handed back; error mode refuses; hops are capped', async () => {
    const guarded = createGuardedFetch({ allowPrivate: true });
    redirectTo = `http://127.0.0.1:${target.port}/moved`;
    redirectStatus = 302;
    const r302 = await guarded(`http://127.0.0.1:${redirector.port}/`, { method: 'POST', body: 'x' });
    assert.equal(r302.status, 302);
    redirectStatus = 307;
    const r307 = await guarded(`http://127.0.0.1:${redirector.port}/`, { method: 'POST', body: 'signed' });
    assert.equal(r307.status, 200);
    assert.deepEqual({ ...target.seen.at(-1) }, { method: 'POST', url: '/moved', host: `127.0.0.1:${target.port}`, body: 'signed' });
    await assert.rejects(guarded(`http://127.0.0.1:${redirector.port}/`, { redirect: 'error' }), { outcome: 'refused: redirect' });
    const manual = await guarded(`http://127.0.0.1:${redirector.port}/`, { redirect: 'manual' });
    assert.equal(manual.status, 307);
    redirectTo = `http://127.0.0.1:${redirector.port}/again`;
    await assert.rejects(guarded(`http://127.0.0.1:${redirector.port}/`), { outcome: 'refused: too many redirects' });
    redirectStatus = 302;
  });

  it('refuses what is not http(s)', async () => {
    await assert.rejects(createGuardedFetch({ allowPrivate: true })('file:///etc/passwd'), { outcome: 'refused: not an http(s) URL' });
  });
});

describe('describeOutboundFailure', () => {
  const guarded = createGuardedFetch({ allowPrivate: true });

  async function outcomeOf(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (err) {
      return describeOutboundFailure(err);
    }
    return 'no failure';
  }

  it('names failures in plain words, never raw error codes', async () => {
    const closed = await listen(() => undefined);
    const port = closed.port;
    await new Promise((r) => closed.server.close(r));
    assert.equal(await outcomeOf(guarded(`http://127.0.0.1:${port}/`)), 'connection refused');

    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as AddressInfo).port;
    try {
      assert.equal(await outcomeOf(guarded(`http://127.0.0.1:${silentPort}/`, { signal: AbortSignal.timeout(100) })), 'timed out');
      // TLS spoken to a plain HTTP server.
      assert.equal(await outcomeOf(guarded(`https://127.0.0.1:${silentPort}/`, { signal: AbortSignal.timeout(5000) })), 'TLS error');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    assert.equal(await outcomeOf(createGuardedFetch({ allowPrivate: false })('http://127.0.0.1/')), 'refused: private address');
    assert.equal(await outcomeOf(guarded('http://does-not-exist.invalid/')), 'host not found');
    assert.equal(describeOutboundFailure(new Error('something odd')), 'request failed');
  });
});
