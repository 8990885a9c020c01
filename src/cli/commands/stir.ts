import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { CallshieldError } from '../../errors.js';
import { createCertificateResolver } from '../../stir/certificate-resolver.js';
import type { ProfileEnforcement } from '../../stir/certificate-resolver.js';
import { createSigner } from '../../stir/create-signer.js';
import { createHttpFetcher } from '../../stir/fetch-certificate.js';
import { handleSigningRequest } from '../../stir/signing-request.js';
import { handleVerificationRequest } from '../../stir/verification-request.js';
import { createShakenCertificate, createTestCa } from '../../stir/test-pki.js';
import { CLI_OPERATOR } from '../../operations/actor.js';
import { outboundFetch } from '../../operations/outbound-fetch.js';
import { addSigner, listSigners } from '../../operations/stir/signers.js';
import { openFromCli } from '../open-app.js';
import { wholeNumberFlag } from '../flags.js';

// `callshield stir …`: a test STI-CA and SHAKEN certificates on one machine, and signing and
// verification through the same functions as POST /stir/v1/signing and /stir/v1/verification.

const DEFAULT_DIR = 'data/stir';

async function readText(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CallshieldError('STIR_INVALID_REQUEST', `Cannot read ${path}`, { field, cause });
  }
}

async function writeFiles(dir: string, files: Record<string, { text: string; secret?: boolean }>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, { text, secret }] of Object.entries(files)) {
    const path = resolve(dir, name);
    // Private keys are written owner-only (0600) and never printed.
    await writeFile(path, text, { mode: secret ? 0o600 : 0o644 });
    await chmod(path, secret ? 0o600 : 0o644); // writeFile's mode only applies to new files
    written.push(path);
  }
  return written;
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function registerStir(program: Command): void {
  const stir = program.command('stir').description('STIR/SHAKEN: test certificates, sign and verify caller ID');

  stir
    .command('ca')
    .description('create a test STI-CA (certificate and private key)')
    .option('--out <dir>', 'output directory', DEFAULT_DIR)
    .option('--name <cn>', 'CA common name (must contain SHAKEN)', 'SHAKEN Test STI-CA')
    .action(async (opts: { out: string; name: string }) => {
      const ca = await createTestCa({ commonName: opts.name });
      const paths = await writeFiles(opts.out, {
        'ca.pem': { text: ca.certificatePem },
        'ca.key': { text: ca.privateKeyPem, secret: true },
      });
      for (const p of paths) process.stdout.write(`${p}\n`);
    });

  stir
    .command('cert')
    .description('issue a SHAKEN end-entity certificate with a TNAuthList for an SPC')
    .requiredOption('--spc <code>', 'service provider code (upper-case letters and digits)')
    .option('--ca <dir>', 'directory holding ca.pem and ca.key', DEFAULT_DIR)
    .option('--out <dir>', 'output directory', DEFAULT_DIR)
    .option('--x5u <url>', 'where the chain will be published (printed as a reminder)')
    .option('--crl-url <url>', 'CRL distribution point', 'http://127.0.0.1/sti-pa.crl')
    .option('--days <n>', 'validity in days', '365')
    .action(async (opts: { spc: string; ca: string; out: string; x5u?: string; crlUrl: string; days: string }) => {
      const ca = {
        certificatePem: await readText(join(opts.ca, 'ca.pem'), 'ca'),
        privateKeyPem: await readText(join(opts.ca, 'ca.key'), 'ca'),
      };
      const days = wholeNumberFlag(opts.days, '--days', { min: 1, code: 'STIR_INVALID_REQUEST' });
      const cert = await createShakenCertificate({ ca, spc: opts.spc, crlUrl: opts.crlUrl, days });
      const base = `shaken-${opts.spc}`;
      const paths = await writeFiles(opts.out, {
        [`${base}.pem`]: { text: cert.certificatePem },
        [`${base}-chain.pem`]: { text: cert.chainPem },
        [`${base}.key`]: { text: cert.privateKeyPem, secret: true },
      });
      for (const p of paths) process.stdout.write(`${p}\n`);
      if (opts.x5u) process.stdout.write(`publish ${paths[1]} at ${opts.x5u}\n`);
    });

  stir
    .command('sign')
    .description('sign a call (STI-AS) and print the Identity header')
    .requiredOption('--spc <code>', 'service provider code of the certificate')
    .requiredOption('--key <file>', 'private key PEM')
    .requiredOption('--cert <file>', 'certificate PEM')
    .requiredOption('--x5u <url>', 'URL of the published certificate chain')
    .requiredOption('--orig <tn>', 'calling number')
    .requiredOption('--dest <tn...>', 'called number(s)')
    .option('--attest <level>', 'attestation A, B or C', 'A')
    .option('--origid <id>', 'origination id (a UUID is generated when omitted)')
    .action(async (opts: { spc: string; key: string; cert: string; x5u: string; orig: string; dest: string[]; attest: string; origid?: string }) => {
      const signer = createSigner({
        spc: opts.spc,
        x5u: opts.x5u,
        privateKeyPem: await readText(opts.key, 'key'),
        certificatePem: await readText(opts.cert, 'cert'),
      });
      const now = Date.now();
      const body = { signingRequest: { attest: opts.attest, dest: { tn: opts.dest }, iat: Math.floor(now / 1000), orig: { tn: opts.orig }, origid: opts.origid } };
      const out = handleSigningRequest(body, signer, now);
      if (out.status !== 200) {
        printJson(out.body);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(`${(out.body as { signingResponse: { identity: string } }).signingResponse.identity}\n`);
    });

  stir
    .command('verify')
    .description('verify an Identity header (STI-VS) and print the ATIS-1000082 verification response')
    .requiredOption('--identity <value>', 'the Identity header value, or @file to read it from a file')
    .requiredOption('--ca-file <file>', 'PEM bundle of trusted STI-CA certificates')
    .requiredOption('--from <tn>', 'calling number')
    .requiredOption('--to <tn...>', 'called number(s)')
    .option('--allow-http', 'allow fetching x5u over plain http (tests only)', false)
    .option('--profile <level>', 'certificate profile enforcement: basic, strict or off', 'basic')
    .action(async (opts: { identity: string; caFile: string; from: string; to: string[]; allowHttp: boolean; profile: string }) => {
      if (!['basic', 'strict', 'off'].includes(opts.profile)) {
        throw new CallshieldError('STIR_INVALID_REQUEST', '--profile must be basic, strict or off', { field: 'profile' });
      }
      const identity = opts.identity.startsWith('@') ? (await readText(opts.identity.slice(1), 'identity')).trim() : opts.identity;
      const config = loadConfig(process.env);
      const certificates = createCertificateResolver({
        fetcher: createHttpFetcher({ allowHttp: opts.allowHttp, fetch: outboundFetch(config) }),
        trustAnchorsPem: await readText(opts.caFile, 'caFile'),
        profile: opts.profile as ProfileEnforcement,
      });
      const now = Date.now();
      const body = { verificationRequest: { from: { tn: opts.from }, to: { tn: opts.to }, time: Math.floor(now / 1000), identity } };
      const out = await handleVerificationRequest(body, { certificates, defaultRegion: config.defaultRegion }, now);
      printJson(out.body);
      process.exitCode = out.status !== 200 ? 2 : out.result?.verstat === 'TN-Validation-Passed' ? 0 : 1;
    });

  const signer = stir.command('signer').description("a carrier's STI-AS signing key and certificate, for POST /stir/v1/signing");
  signer
    .command('add')
    .description("configure (or replace) a carrier's signing key and certificate; the key is stored encrypted and never shown again")
    .requiredOption('--org <name>', 'the carrier organisation (as created by `keys create --role carrier`)')
    .requiredOption('--key <file>', 'private key PEM (P-256)')
    .requiredOption('--cert <file>', 'SHAKEN certificate PEM with a TNAuthList SPC')
    .requiredOption('--x5u <url>', 'where verifiers fetch the certificate chain')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { org: string; key: string; cert: string; x5u: string; db?: string }) => {
      const privateKeyPem = await readText(opts.key, 'key');
      const certificatePem = await readText(opts.cert, 'cert');
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        printJson(await addSigner(ctx, { org: opts.org, privateKeyPem, certificatePem, x5u: opts.x5u }, CLI_OPERATOR));
      } finally {
        await ctx.close();
      }
    });
  signer
    .command('list')
    .description('list the configured signers (SPC, x5u, certificate expiry; never the key)')
    .option('--db <path>', 'SQLite file (env CALLSHIELD_DB)')
    .action(async (opts: { db?: string }) => {
      const ctx = await openFromCli(opts, {}, { skipIndex: true });
      try {
        printJson(await listSigners(ctx, CLI_OPERATOR));
      } finally {
        await ctx.close();
      }
    });
}
