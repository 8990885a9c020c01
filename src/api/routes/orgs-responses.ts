// Success responses of this area's routes, as /openapi.json documents them (see ./schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).

/** GET /v1/keys 200 application/json */
export const getKeys = {
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'org', 'role', 'person', 'label', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt', 'replacedBy', 'status'],
        properties: {
          id: { type: 'string' },
          org: { type: 'string' },
          role: { type: 'string' },
          person: { type: 'string' },
          label: { type: ['string', 'null'] },
          prefix: { type: 'string' },
          createdAt: { type: 'string' },
          expiresAt: { type: ['string', 'null'] },
          lastUsedAt: { type: ['string', 'null'] },
          revokedAt: { type: ['string', 'null'] },
          replacedBy: { type: ['string', 'null'] },
          status: { type: 'string' },
        },
      },
    },
  },
} as const;

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
export const postKeys201 = {
  type: 'object',
  required: ['org', 'keyId', 'person', 'expiresAt', 'key'],
  properties: {
    org: {
      type: 'object',
      required: ['id', 'name', 'role'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
    },
    keyId: { type: 'string' },
    person: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
    key: { type: 'string' },
  },
} as const;

/** POST /v1/keys/:id/revoke 200 application/json */
export const postKeysByIdRevoke = {
  type: 'object',
  required: ['id', 'org', 'role', 'person', 'label', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt', 'replacedBy', 'status'],
  properties: {
    id: { type: 'string' },
    org: { type: 'string' },
    role: { type: 'string' },
    person: { type: 'string' },
    label: {},
    prefix: { type: 'string' },
    createdAt: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
    lastUsedAt: { type: 'string' },
    revokedAt: { type: 'string' },
    replacedBy: { type: ['string', 'null'] },
    status: { type: 'string' },
  },
} as const;

/** POST /v1/keys/:id/rotate 201 application/json */
export const postKeysByIdRotate201 = {
  type: 'object',
  required: ['org', 'keyId', 'person', 'expiresAt', 'replaces', 'oldKeyExpiresAt', 'key'],
  properties: {
    org: {
      type: 'object',
      required: ['id', 'name', 'role'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
    },
    keyId: { type: 'string' },
    person: { type: 'string' },
    expiresAt: { type: 'string' },
    replaces: { type: 'string' },
    oldKeyExpiresAt: { type: 'string' },
    key: { type: 'string' },
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
