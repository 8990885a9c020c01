// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).

/** DELETE /v1/lists/:id/entries/:identifier 200 application/json */
export const deleteListsByIdEntriesByIdentifier = {
  type: 'object',
  required: ['list', 'identifier', 'liftedAt'],
  properties: { list: { type: 'string' }, identifier: { type: 'string' }, liftedAt: { type: 'string' } },
} as const;

/** GET /v1/lists 200 application/json */
export const getLists = { type: 'object', required: ['lists'], properties: { lists: { type: 'array' } } } as const;

/** POST /v1/lists 201 application/json */
export const postLists201 = {
  type: 'object',
  required: ['id', 'name', 'source', 'entries', 'expiresAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    source: { type: 'string' },
    entries: { type: 'integer' },
    expiresAt: { type: ['string', 'null'] },
  },
} as const;

/** GET /v1/appeals 200 application/json */
export const getAppeals = {
  type: 'object',
  required: ['appeals'],
  properties: {
    appeals: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'identifier', 'status', 'evidence', 'contact', 'appellant', 'holderVerified', 'listings', 'createdAt', 'decidedAt', 'decisionReason'],
        properties: {
          id: { type: 'string' },
          identifier: { type: 'string' },
          status: { type: 'string' },
          evidence: { type: 'string' },
          contact: { type: ['string', 'null'] },
          appellant: { type: 'object', properties: { org: { type: 'object' }, person: { type: 'string' } } },
          holderVerified: { type: 'boolean' },
          listings: { type: 'array' },
          createdAt: { type: 'string' },
          decidedAt: { type: ['string', 'null'] },
          decisionReason: { type: ['string', 'null'] },
          score: { type: 'integer' },
        },
      },
    },
  },
} as const;

/** GET /v1/appeals/:id 200 application/json */
export const getAppealsById = {
  type: 'object',
  required: ['id', 'identifier', 'status', 'evidence', 'contact', 'appellant', 'holderVerified', 'listings', 'createdAt', 'decidedAt', 'decisionReason'],
  properties: {
    id: { type: 'string' },
    identifier: { type: 'string' },
    status: { type: 'string' },
    evidence: { type: 'string' },
    contact: {},
    appellant: {
      type: 'object',
      required: ['org', 'person'],
      properties: {
        org: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' } },
        },
        person: { type: 'string' },
      },
    },
    holderVerified: { type: 'boolean' },
    listings: { type: 'array' },
    createdAt: { type: 'string' },
    decidedAt: { type: ['string', 'null'] },
    decisionReason: { type: ['string', 'null'] },
    context: {
      type: 'object',
      required: ['holder', 'score', 'category', 'label', 'confirmed', 'evidence'],
      properties: {
        holder: {
          type: 'object',
          required: ['registered', 'holder', 'org', 'carrier', 'appellantIsHolder'],
          properties: {
            registered: { type: 'boolean' },
            holder: {},
            org: {},
            carrier: {},
            appellantIsHolder: { type: 'boolean' },
          },
        },
        score: { type: 'integer' },
        category: { type: 'string' },
        label: { type: 'string' },
        confirmed: { type: 'boolean' },
        evidence: {
          type: 'object',
          required: ['crowd', 'notSpam', 'lists', 'pattern', 'attestation'],
          properties: {
            crowd: {
              type: 'object',
              properties: {
                reports: { type: 'integer' },
                reporters: { type: 'integer' },
                organisations: { type: 'integer' },
                complaints: { type: 'integer' },
                heldForReview: { type: 'integer' },
              },
            },
            notSpam: {
              type: 'object',
              properties: { reporters: { type: 'integer' }, organisations: { type: 'integer' } },
            },
            lists: { type: 'array', items: { type: 'object' } },
            pattern: { type: 'integer' },
            attestation: { type: 'integer' },
          },
        },
      },
    },
  },
} as const;

/** GET /v1/lists/notices 200 application/json */
export const getListsNotices = {
  type: 'object',
  required: ['notices'],
  properties: {
    notices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['appeal', 'identifier', 'list', 'listName', 'lifted', 'decidedAt', 'decisionReason'],
        properties: {
          appeal: { type: 'string' },
          identifier: { type: 'string' },
          list: { type: 'string' },
          listName: { type: 'string' },
          lifted: { type: 'boolean' },
          decidedAt: { type: 'string' },
          decisionReason: { type: 'string' },
        },
      },
    },
  },
} as const;

/** POST /v1/appeals 201 application/json */
export const postAppeals201 = {
  type: 'object',
  required: ['id', 'identifier', 'status', 'evidence', 'contact', 'appellant', 'holderVerified', 'listings', 'createdAt', 'decidedAt', 'decisionReason'],
  properties: {
    id: { type: 'string' },
    identifier: { type: 'string' },
    status: { type: 'string' },
    evidence: { type: 'string' },
    contact: { type: ['string', 'null'] },
    appellant: {
      type: 'object',
      required: ['org', 'person'],
      properties: {
        org: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' } },
        },
        person: { type: 'string' },
      },
    },
    holderVerified: { type: 'boolean' },
    listings: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    decidedAt: { type: ['string', 'null'] },
    decisionReason: { type: ['string', 'null'] },
  },
} as const;

/** POST /v1/appeals/:id/decision 200 application/json */
export const postAppealsByIdDecision = {
  type: 'object',
  required: ['id', 'identifier', 'status', 'evidence', 'contact', 'appellant', 'holderVerified', 'listings', 'createdAt', 'decidedAt', 'decisionReason', 'context'],
  properties: {
    id: { type: 'string' },
    identifier: { type: 'string' },
    status: { type: 'string' },
    evidence: { type: 'string' },
    contact: { type: ['string', 'null'] },
    appellant: {
      type: 'object',
      required: ['org', 'person'],
      properties: {
        org: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' } },
        },
        person: { type: 'string' },
      },
    },
    holderVerified: { type: 'boolean' },
    listings: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    decidedAt: { type: 'string' },
    decisionReason: { type: 'string' },
    context: {
      type: 'object',
      required: ['holder', 'score', 'category', 'label', 'confirmed', 'evidence'],
      properties: {
        holder: {
          type: 'object',
          required: ['registered', 'holder', 'org', 'carrier', 'appellantIsHolder'],
          properties: {
            registered: { type: 'boolean' },
            holder: {},
            org: {},
            carrier: {},
            appellantIsHolder: { type: 'boolean' },
          },
        },
        score: { type: 'integer' },
        category: { type: ['string', 'null'] },
        label: { type: 'string' },
        confirmed: { type: 'boolean' },
        evidence: {
          type: 'object',
          required: ['crowd', 'notSpam', 'lists', 'pattern', 'attestation'],
          properties: {
            crowd: {
              type: 'object',
              properties: {
                reports: { type: 'integer' },
                reporters: { type: 'integer' },
                organisations: { type: 'integer' },
                complaints: { type: 'integer' },
                heldForReview: { type: 'integer' },
              },
            },
            notSpam: {
              type: 'object',
              properties: { reporters: { type: 'integer' }, organisations: { type: 'integer' } },
            },
            lists: { type: 'array', items: { type: 'object' } },
            pattern: { type: 'integer' },
            attestation: { type: 'integer' },
          },
        },
      },
    },
  },
} as const;

/** GET /v1/review/bursts 200 application/json */
export const getReviewBursts = {
  type: 'object',
  required: ['bursts'],
  properties: {
    bursts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'caller', 'org', 'status', 'reporters', 'reports', 'feedback', 'firstAt', 'lastAt', 'score', 'decidedAt', 'decidedBy', 'decisionReason'],
        properties: {
          id: { type: 'string' },
          caller: { type: 'string' },
          org: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
          status: { type: 'string' },
          reporters: { type: 'integer' },
          reports: { type: 'integer' },
          feedback: { type: 'integer' },
          firstAt: { type: 'string' },
          lastAt: { type: 'string' },
          score: { type: 'integer' },
          decidedAt: { type: ['string', 'null'] },
          decidedBy: { type: ['string', 'null'] },
          decisionReason: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

/** POST /v1/review/bursts/:id/decision 200 application/json */
export const postReviewBurstsByIdDecision = {
  type: 'object',
  required: ['id', 'caller', 'org', 'status', 'reporters', 'reports', 'feedback', 'firstAt', 'lastAt', 'score', 'decidedAt', 'decidedBy', 'decisionReason'],
  properties: {
    id: { type: 'string' },
    caller: { type: 'string' },
    org: {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    },
    status: { type: 'string' },
    reporters: { type: 'integer' },
    reports: { type: 'integer' },
    feedback: { type: 'integer' },
    firstAt: { type: 'string' },
    lastAt: { type: 'string' },
    score: { type: 'integer' },
    decidedAt: { type: 'string' },
    decidedBy: { type: 'string' },
    decisionReason: { type: 'string' },
  },
} as const;
