// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).
import { listOf } from '../schemas.js';

/** One audit entry, as the list and `GET /v1/audit/entries/{index}` show it: written once for both. */
const auditEntry = {
  type: 'object',
  required: ['index', 'seq', 'at', 'actor', 'action', 'subject', 'details', 'prevHash', 'hash', 'leafHash'],
  properties: {
    index: { type: 'integer', description: 'the leaf index in the Merkle tree (0-based)' },
    seq: { type: 'integer' },
    at: { type: 'string' },
    actor: { type: 'string' },
    action: { type: 'string' },
    subject: { type: 'string' },
    details: { type: 'string', description: 'canonical JSON text, as hashed' },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
    leafHash: { type: 'string' },
  },
} as const;

/** GET /v1/audit 200 application/json */
export const getAudit = listOf('entries', auditEntry);

/** GET /v1/audit/checkpoint 200 application/json */
export const getAuditCheckpoint = {
  type: 'object',
  required: ['origin', 'treeSize', 'rootHash', 'checkpoint', 'publicKey', 'signedAt'],
  properties: {
    origin: { type: 'string' },
    treeSize: { type: 'integer' },
    rootHash: { type: 'string' },
    checkpoint: { type: 'string' },
    publicKey: { type: 'string' },
    signedAt: { type: 'string' },
  },
} as const;

/** GET /v1/audit/entries/:index 200 application/json */
export const getAuditEntriesByIndex = auditEntry;

/** GET /v1/audit/proof/consistency 200 application/json */
export const getAuditProofConsistency = {
  type: 'object',
  required: ['treeSize1', 'treeSize2', 'consistencyPath'],
  properties: {
    treeSize1: { type: 'integer' },
    treeSize2: { type: 'integer' },
    consistencyPath: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** GET /v1/audit/proof/inclusion 200 application/json */
export const getAuditProofInclusion = {
  type: 'object',
  required: ['leafIndex', 'treeSize', 'leafHash', 'inclusionPath'],
  properties: {
    leafIndex: { type: 'integer' },
    treeSize: { type: 'integer' },
    leafHash: { type: 'string' },
    inclusionPath: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** GET /v1/audit/verify 200 application/json */
export const getAuditVerify = {
  type: 'object',
  required: ['ok', 'entries', 'treeSize', 'rootHash', 'head', 'notes'],
  properties: {
    ok: { type: 'boolean' },
    entries: { type: 'integer' },
    treeSize: { type: 'integer' },
    rootHash: { type: 'string' },
    head: { type: 'string' },
    checkpoint: {
      type: 'object',
      required: ['treeSize', 'rootHash', 'origin', 'source'],
      properties: {
        treeSize: { type: 'integer' },
        rootHash: { type: 'string' },
        origin: { type: 'string' },
        source: { type: 'string' },
      },
    },
    consistencyProof: { type: 'integer' },
    notes: { type: 'array' },
    problem: {
      type: 'object',
      required: ['kind', 'detail', 'seq'],
      properties: { kind: { type: 'string' }, detail: { type: 'string' }, seq: { type: 'integer' } },
    },
    brokenAt: {
      type: 'object',
      required: ['seq', 'problem'],
      properties: { seq: { type: 'integer' }, problem: { type: 'string' } },
    },
  },
} as const;
