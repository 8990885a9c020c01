// Success responses of this area's routes, as /openapi.json documents them (see ./schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).

import { listOf, nullableString } from './schemas.js';

// Each view written once, from its type (operations/keys.ts, store/orgs.ts), and referred to by
// every route that answers with it: copies per route drift apart (the revoke copy had said a
// revoked key was always used, and a key always has a person; both may be null).

/** A key as `GET /v1/keys` and a revocation show it: `KeyView` (never the key or its hash). */
const keyView = {
  type: 'object',
  required: ['id', 'org', 'role', 'person', 'label', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt', 'replacedBy', 'status'],
  properties: {
    id: { type: 'string' },
    org: { type: 'string' },
    role: { type: 'string' },
    person: { ...nullableString, description: 'null for keys made before people were recorded' },
    label: nullableString,
    prefix: { type: 'string' },
    createdAt: { type: 'string' },
    expiresAt: nullableString,
    lastUsedAt: { ...nullableString, description: 'to the minute; null: never used' },
    revokedAt: nullableString,
    replacedBy: { ...nullableString, description: 'the key that replaced this one in a rotation' },
    status: { type: 'string', enum: ['active', 'rotating', 'expired', 'revoked'] },
  },
} as const;

/** The organisation of a new key (`OrgRow`). */
const orgOfKey = {
  type: 'object',
  required: ['id', 'name', 'role'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
} as const;

/** A new key, shown once (`CreatedKey` without orgCreated). */
const newKey = {
  type: 'object',
  required: ['org', 'keyId', 'person', 'expiresAt', 'key'],
  properties: {
    org: orgOfKey,
    keyId: { type: 'string' },
    person: { type: 'string' },
    expiresAt: nullableString,
    key: { type: 'string', description: 'shown once; only its hash is stored' },
  },
} as const;

/** GET /v1/keys 200 application/json */
export const getKeys = listOf('keys', keyView);

/** GET /v1/me 200 application/json */
export const getMe = {
  type: 'object',
  required: ['org', 'role', 'person', 'keyId'],
  properties: {
    org: { type: 'string' },
    role: { type: 'string' },
    person: { type: 'string' },
    keyId: { type: 'string' },
  },
} as const;

/** GET /v1/orgs 200 application/json */
export const getOrgs = {
  type: 'object',
  required: ['orgs'],
  properties: {
    orgs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'role', 'createdAt', 'keys'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          createdAt: { type: 'string' },
          keys: { type: 'integer' },
        },
      },
    },
  },
} as const;

/** POST /v1/keys 201 application/json */
export const postKeys201 = newKey;

/** POST /v1/keys/:id/revoke 200 application/json */
export const postKeysByIdRevoke = keyView;

/** POST /v1/keys/:id/rotate 201 application/json */
export const postKeysByIdRotate201 = {
  type: 'object',
  required: [...newKey.required, 'replaces', 'oldKeyExpiresAt'],
  properties: {
    ...newKey.properties,
    replaces: { type: 'string', description: 'the key this one replaces' },
    oldKeyExpiresAt: { type: 'string', description: 'when the replaced key stops working (the end of the grace period)' },
  },
} as const;

/** GET and PUT /v1/org/settings 200 application/json */
export const orgSettings = {
  type: 'object',
  required: ['org', 'language'],
  properties: {
    org: { type: 'string' },
    language: { type: ['string', 'null'], enum: ['en', 'zh-CN', 'zh-TW', null], description: "the language of the organisation's webhook events; null: not set, events as written (English, advice in the subscriber's language). HTTP replies follow Accept-Language" },
  },
} as const;
