// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).
import { listOf, nullableString } from '../schemas.js';

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


// An appeal written once, from its type (AppealView and AppealContext in
// operations/reputation/appeals.ts), and referred to by every route that answers with one: the
// copies per route had drifted (the appellant's organisation name and person, and the context's
// category, may be null).

/** What the decider (a regulator or admin) sees beside an appeal: `AppealContext`. */
const appealContext = {
  type: 'object',
  required: ['holder', 'score', 'category', 'label', 'confirmed', 'evidence'],
  properties: {
    holder: {
      type: 'object',
      required: ['registered', 'holder', 'org', 'carrier', 'appellantIsHolder'],
      properties: {
        registered: { type: 'boolean' },
        holder: nullableString,
        org: nullableString,
        carrier: nullableString,
        appellantIsHolder: { type: 'boolean' },
      },
    },
    score: { type: 'integer' },
    category: nullableString,
    label: { type: 'string' },
    confirmed: { type: 'boolean' },
    evidence: {
      type: 'object',
      required: ['crowd', 'notSpam', 'lists', 'pattern', 'attestation'],
      properties: {
        crowd: {
          type: 'object',
          required: ['reports', 'reporters', 'organisations', 'complaints', 'heldForReview'],
          properties: {
            reports: { type: 'integer' },
            reporters: { type: 'integer' },
            organisations: { type: 'integer' },
            complaints: { type: 'integer' },
            heldForReview: { type: 'integer' },
          },
        },
        notSpam: { type: 'object', required: ['reporters', 'organisations'], properties: { reporters: { type: 'integer' }, organisations: { type: 'integer' } } },
        lists: {
          type: 'array',
          items: {
            type: 'object',
            required: ['list', 'source', 'name', 'owner', 'named'],
            properties: { list: { type: 'string' }, source: { type: 'string' }, name: nullableString, owner: { type: 'string' }, named: { type: 'boolean' } },
          },
        },
        pattern: { type: 'integer' },
        attestation: { type: 'integer' },
      },
    },
  },
} as const;

/** One appeal: `AppealView` (context only for a regulator or admin, on one appeal). */
const appealView = {
  type: 'object',
  required: ['id', 'identifier', 'status', 'evidence', 'contact', 'appellant', 'holderVerified', 'listings', 'createdAt', 'decidedAt', 'decisionReason'],
  properties: {
    id: { type: 'string' },
    identifier: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'upheld', 'rejected'] },
    evidence: { type: 'string' },
    contact: nullableString,
    appellant: {
      type: 'object',
      required: ['org', 'person'],
      properties: {
        org: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: nullableString } },
        person: nullableString,
      },
    },
    holderVerified: { type: 'boolean', description: 'the appellant is the registered holder of the number' },
    listings: { type: 'array', items: { type: 'string' }, description: 'the partner lists the appeal contests' },
    createdAt: { type: 'string' },
    decidedAt: nullableString,
    decisionReason: nullableString,
    context: appealContext,
  },
} as const;

/** GET /v1/appeals 200 application/json */
export const getAppeals = listOf('appeals', { ...appealView, properties: { ...appealView.properties, score: { type: 'integer', description: "the number's current score (the decider's queue)" } } });

/** GET /v1/appeals/:id 200 application/json */
export const getAppealsById = appealView;

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
export const postAppeals201 = appealView;

/** POST /v1/appeals/:id/decision 200 application/json */
export const postAppealsByIdDecision = { ...appealView, required: [...appealView.required, 'context'] } as const;

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
