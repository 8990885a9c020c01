// A SHAKEN PKI built with the openssl CLI at test time, so that certificate checks are tested
// against certificates our own code (src/stir/test-pki.ts) did not make. Each certificate's
// extensions are given as openssl x509v3 config lines, so a test can break exactly one rule.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAVE_OPENSSL = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

export interface OpensslCert {
  name: string;
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
  subject: string;
}

/** TNAuthList DER for openssl's `OID=DER:..` syntax: SPC, one TN or a TN range (RFC 8226 §9). */
export function tnAuthListDer(entries: ReadonlyArray<{ spc: string } | { tn: string } | { start: string; count: number }>): string {
  const tlv = (tag: number, content: Buffer): Buffer => {
    if (content.length >= 0x80) throw new Error('tnAuthListDer: keep test entries short');
    return Buffer.concat([Buffer.from([tag, content.length]), content]);
  };
  const ia5 = (s: string) => tlv(0x16, Buffer.from(s, 'latin1'));
  const parts = entries.map((e) => {
    if ('spc' in e) return tlv(0xa0, ia5(e.spc));
    if ('tn' in e) return tlv(0xa2, ia5(e.tn));
    let hex = e.count.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let int = Buffer.from(hex, 'hex');
    if ((int[0] as number) & 0x80) int = Buffer.concat([Buffer.from([0]), int]);
    return tlv(0xa1, tlv(0x30, Buffer.concat([ia5(e.start), tlv(0x02, int)])));
  });
  return `DER:${[...tlv(0x30, Buffer.concat(parts))].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
}

export const LEAF_EXTENSIONS = (tnAuthList = tnAuthListDer([{ spc: '1234' }])): string[] => [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
  'certificatePolicies=2.16.840.1.114569.1.1.3',
  `1.3.6.1.5.5.7.1.26=${tnAuthList}`,
];

export const CA_EXTENSIONS = (pathLen?: number): string[] => [
  `basicConstraints=critical,CA:TRUE${pathLen === undefined ? '' : `,pathlen:${pathLen}`}`,
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
  'certificatePolicies=2.16.840.1.114569.1.1.3',
];

export const ROOT_EXTENSIONS = (pathLen?: number): string[] => [
  `basicConstraints=critical,CA:TRUE${pathLen === undefined ? '' : `,pathlen:${pathLen}`}`,
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
];

export interface OpensslPki {
  dir: string;
  run(args: string[], input?: string): string;
  /** A P-256 key and a certificate; self-signed when `issuer` is omitted. */
  cert(name: string, subject: string, extensions: readonly string[], issuer?: OpensslCert, options?: { days?: number; sections?: string }): OpensslCert;
  /** A CRL signed by `issuer` listing `revoked` (openssl ca -gencrl), valid for `hours`. */
  crl(issuer: OpensslCert, revoked: readonly OpensslCert[], hours: number): string;
  write(name: string, content: string): string;
  cleanup(): void;
}

export function createOpensslPki(): OpensslPki {
  const dir = mkdtempSync(join(tmpdir(), 'callshield-openssl-'));
  const run = (args: string[], input?: string): string => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', input });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  return {
    dir,
    run,
    write,
    cert(name, subject, extensions, issuer, options = {}) {
      const keyFile = join(dir, `${name}.key`);
      const certFile = join(dir, `${name}.pem`);
      run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
      const ext = write(`${name}.ext`, `[req]\ndistinguished_name=dn\n[dn]\n[v3]\n${extensions.join('\n')}\n${options.sections ?? ''}\n`);
      // ATIS-1000080 §6.4.1: a positive serial with at least 64 random bits.
      const serial = `0x${(randomBytes(12)[0]! & 0x7f).toString(16).padStart(2, '0')}${randomBytes(11).toString('hex')}`;
      const days = String(options.days ?? 30);
      if (issuer === undefined) {
        run(['req', '-new', '-x509', '-key', keyFile, '-subj', subject, '-days', days, '-sha256', '-set_serial', serial, '-config', ext, '-extensions', 'v3', '-out', certFile]);
      } else {
        const csr = join(dir, `${name}.csr`);
        run(['req', '-new', '-key', keyFile, '-subj', subject, '-config', ext, '-out', csr]);
        run(['x509', '-req', '-in', csr, '-CA', issuer.certFile, '-CAkey', issuer.keyFile, '-set_serial', serial, '-days', days, '-sha256', '-extfile', ext, '-extensions', 'v3', '-out', certFile]);
      }
      return { name, certFile, keyFile, subject, certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
    },
    crl(issuer, revoked, hours) {
      const tag = randomBytes(4).toString('hex');
      const database = write(`crl-${tag}.index`, '');
      const cfg = write(`crl-${tag}.cnf`, `[ca]\ndefault_ca=ca_section\n[ca_section]\ndatabase=${database}\ndefault_md=sha256\n`);
      for (const cert of revoked) run(['ca', '-config', cfg, '-keyfile', issuer.keyFile, '-cert', issuer.certFile, '-revoke', cert.certFile]);
      const out = join(dir, `crl-${tag}.pem`);
      run(['ca', '-config', cfg, '-keyfile', issuer.keyFile, '-cert', issuer.certFile, '-gencrl', '-crlhours', String(hours), '-out', out]);
      return readFileSync(out, 'utf8');
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
