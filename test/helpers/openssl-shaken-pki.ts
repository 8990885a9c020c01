// A SHAKEN PKI built with the openssl command line (not our own test-pki.ts): an STI-CA and a leaf
// for one SPC (TNAuthList as DER, ATIS-1000080), plus a loopback x5u server and secsipidx signing,
// so the STIR tests check our verifier against certificates and tokens made by other tools.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HAVE_SECSIPIDX = spawnSync('sh', ['-c', 'command -v secsipidx']).status === 0;
const HAVE_OPENSSL = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;
/** The tests that use this helper skip themselves without both peers (.ci/run installs secsipidx). */
export const HAVE_PEERS = HAVE_SECSIPIDX && HAVE_OPENSSL;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** TNAuthList with one SPC: SEQUENCE { [0] EXPLICIT IA5String spc } as openssl's DER: syntax. */
function tnAuthListDer(spc: string): string {
  const ia5 = [0x16, spc.length, ...Buffer.from(spc, 'latin1')];
  const tagged = [0xa0, ia5.length, ...ia5];
  return [0x30, tagged.length, ...tagged].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export interface OpensslLeaf {
  spc: string;
  certFile: string;
  keyFile: string;
  certificatePem: string;
  privateKeyPem: string;
}

export interface OpensslShakenPki {
  dir: string;
  caFile: string;
  caPem: string;
  /** A leaf signed by the CA for the SPC; call again for another carrier. */
  leaf(spc: string): OpensslLeaf;
}

export function createOpensslPki(): OpensslShakenPki {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-openssl-pki-'));
  run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  run('openssl', ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/C=US/O=Test/CN=Test STI-CA', '-days', '2', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash'], dir);
  let serial = 4096 + Math.floor(Math.random() * 1_000_000);
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    leaf(spc: string): OpensslLeaf {
      const key = `leaf-${spc}.key`;
      run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], dir);
      run('openssl', ['req', '-new', '-key', key, '-subj', `/C=US/O=Carrier ${spc}/CN=SHAKEN ${spc}`, '-out', `leaf-${spc}.csr`], dir);
      writeFileSync(join(dir, `leaf-${spc}.ext`), [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid:always',
        'certificatePolicies=2.16.840.1.114569.1.1.3',
        `1.3.6.1.5.5.7.1.26=DER:${tnAuthListDer(spc)}`,
        '',
      ].join('\n'));
      run('openssl', ['x509', '-req', '-in', `leaf-${spc}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(serial++), '-days', '2', '-extfile', `leaf-${spc}.ext`, '-out', `leaf-${spc}.pem`], dir);
      return {
        spc,
        certFile: join(dir, `leaf-${spc}.pem`),
        keyFile: join(dir, key),
        certificatePem: readFileSync(join(dir, `leaf-${spc}.pem`), 'utf8'),
        privateKeyPem: readFileSync(join(dir, key), 'utf8'),
      };
    },
  };
}

/** A loopback http server; `routes` maps a path to a handler (default: 404). */
export async function startLoopbackHttp(routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>): Promise<{ base: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const h = routes[new URL(req.url ?? '/', 'http://loopback').pathname];
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** secsipidx -sign-full: the full Identity header value (`jws;info=<x5u>;alg=ES256;ppt=shaken`). */
export function secsipidxSign(opts: { orig: string; dest: string; attest?: 'A' | 'B' | 'C'; origid?: string; x5u: string; keyFile: string }): string {
  const r = spawnSync('secsipidx', ['-sign-full', '-orig-tn', opts.orig, '-dest-tn', opts.dest, '-attest', opts.attest ?? 'A', '-orig-id', opts.origid ?? crypto.randomUUID(), '-x5u', opts.x5u, '-k', opts.keyFile], { encoding: 'utf8' });
  assert.equal(r.status, 0, `secsipidx -sign-full: ${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

export function removePki(pki: OpensslShakenPki): void {
  rmSync(pki.dir, { recursive: true, force: true });
}
