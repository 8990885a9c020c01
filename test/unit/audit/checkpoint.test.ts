import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import {
  checkpointText,
  generateKeyPem,
  keyIdOf,
  noteSigner,
  openNote,
  parseCheckpointText,
  parsePrivateKey,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  verifierKeyString,
  verifyCheckpoint,
} from '../../../src/audit/checkpoint.js';

// The example key and note of the Go reference implementation (golang.org/x/mod/sumdb/note,
// note_test.go), as data: Ed25519 signatures are deterministic, so ours must match byte for byte.
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed notes (c2sp.org/signed-note)', () => {
  const signer = noteSigner('PeterNeumann', parsePrivateKey(GO_SKEY));

  it('derives the published key ID and verifier key', () => {
    assert.equal(signer.keyId.toString('hex'), 'c74f20a3');
    assert.equal(verifierKeyString(signer), GO_VKEY);
    assert.equal(keyIdOf('PeterNeumann', signer.publicKey).toString('hex'), 'c74f20a3');
  });

  it('signs the published note byte for byte', () => {
    assert.equal(signNote(GO_TEXT, signer), `${GO_TEXT}\n${GO_SIG}`);
  });

  it('opens the published note with the verifier key alone', () => {
    const key = parseVerifierKey(GO_VKEY)!;
    assert.ok(key);
    assert.deepEqual(openNote(`${GO_TEXT}\n${GO_SIG}`, key), { ok: true, text: GO_TEXT });
  });

  it('refuses an altered text, an unknown key, and malformed notes', () => {
    const key = parseVerifierKey(GO_VKEY)!;
    const altered = openNote(`${GO_TEXT.replace('answer', 'solution')}\n${GO_SIG}`, key);
    assert.equal(altered.ok, false);
    assert.equal(!altered.ok && altered.problem, 'bad signature');
    const other = noteSigner('PeterNeumann', createPrivateKey(generateKeyPem()));
    const byOther = openNote(signNote(GO_TEXT, other), key);
    assert.equal(!byOther.ok && byOther.problem, 'unknown key', 'same name, other key: ignored, so nothing trusted signed it');
    for (const bad of [GO_TEXT, `${GO_TEXT}\n`, `${GO_TEXT}\n${GO_SIG.trimEnd()}`, `${GO_TEXT}\n- PeterNeumann abc\n`, `a\tb\n\n${GO_SIG}`]) {
      const r = openNote(bad, key);
      assert.equal(r.ok, false, JSON.stringify(bad));
    }
  });

  it('accepts a note that a second, unknown key also signed', () => {
    const key = parseVerifierKey(GO_VKEY)!;
    const witness = noteSigner('witness.example', createPrivateKey(generateKeyPem()));
    const cosigned = signNote(GO_TEXT, witness) + GO_SIG;
    assert.equal(openNote(cosigned, key).ok, true);
  });

  it('rejects verifier keys whose ID does not match the key, or that are not Ed25519', () => {
    assert.equal(parseVerifierKey(GO_VKEY.replace('c74f20a3', 'c74f20a4')), undefined);
    assert.equal(parseVerifierKey(GO_VKEY.replace('+AR', '+Ah')), undefined);
    assert.equal(parseVerifierKey('PeterNeumann+c74f20a3'), undefined);
  });
});

describe('checkpoints (c2sp.org/tlog-checkpoint)', () => {
  const signer = noteSigner('callshield.example/audit', createPrivateKey(generateKeyPem()));
  const root = Buffer.from('d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7', 'hex');

  it('writes origin, size and base64 root on three lines', () => {
    assert.equal(checkpointText({ origin: 'callshield.example/audit', treeSize: 4, rootHash: root }), 'callshield.example/audit\n4\n037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\n');
  });

  it('signs and verifies; the body comes back as it was', () => {
    const note = signCheckpoint({ origin: signer.name, treeSize: 4, rootHash: root }, signer);
    const r = verifyCheckpoint(note, parseVerifierKey(verifierKeyString(signer))!);
    assert.ok(r.ok);
    assert.equal(r.checkpoint.treeSize, 4);
    assert.ok(r.checkpoint.rootHash.equals(root));
  });

  it('an edited size or root breaks the signature', () => {
    const note = signCheckpoint({ origin: signer.name, treeSize: 4, rootHash: root }, signer);
    for (const forged of [note.replace('\n4\n', '\n3\n'), note.replace('037k', '037j')]) {
      const r = verifyCheckpoint(forged, signer);
      assert.equal(!r.ok && r.problem, 'bad signature');
    }
  });

  it('a checkpoint of another origin is refused even when the key is right', () => {
    const other = noteSigner('other.example/log', signer.privateKey);
    const note = signCheckpoint({ origin: signer.name, treeSize: 1, rootHash: root }, other);
    assert.equal(verifyCheckpoint(note, other).ok, false);
  });

  it('parses checkpoint bodies strictly', () => {
    assert.equal(parseCheckpointText('o\n01\nAAAA\n').ok, false);
    assert.equal(parseCheckpointText(`o\n1\n${root.toString('base64')}`).ok, false);
    assert.equal(parseCheckpointText(`o\n1\n${root.toString('base64')}\n`).ok, true);
    const ext = parseCheckpointText(`o\n1\n${root.toString('base64')}\nextra line\n`);
    assert.ok(ext.ok);
    assert.deepEqual(ext.checkpoint.extensions, ['extra line']);
  });
});
