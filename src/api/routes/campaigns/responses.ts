const honeypot = {
  type: 'object',
  required: ['number', 'owner', 'createdAt', 'hits'],
  properties: {
    number: { type: 'string' },
    owner: { type: 'string', description: 'the organisation that registered the line' },
    createdAt: { type: 'string' },
    hits: { type: 'integer', description: 'callers caught (one per caller and day)' },
  },
} as const;

/** POST /v1/honeypots 201 */
export const postHoneypots201 = { type: 'object', required: ['registered'], properties: { registered: { type: 'array', items: honeypot } } } as const;
/** GET /v1/honeypots 200 */
export const getHoneypots200 = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: honeypot } } } as const;
/** DELETE /v1/honeypots/:number 200 */
export const deleteHoneypot200 = { type: 'object', required: ['number', 'removed'], properties: { number: { type: 'string' }, removed: { type: 'boolean' } } } as const;
/** POST /v1/honeypots/transcripts 201 */
export const postTranscript201 = {
  type: 'object',
  required: ['id', 'number', 'caller', 'at', 'shingles'],
  properties: { id: { type: 'string' }, number: { type: 'string' }, caller: { type: 'string' }, at: { type: 'string' }, shingles: { type: 'integer', description: 'size of the script fingerprint (0 when the text is too short to have one)' } },
} as const;

const evidence = { type: 'array', items: { type: 'object', required: ['kind', 'count'], properties: { kind: { type: 'string', description: 'shared-callees, short-lived, neighbour-spoofing, script' }, count: { type: 'integer' } } } } as const;
const campaign = {
  type: 'object',
  required: ['id', 'memberCount', 'firstSeen', 'lastSeen', 'evidence'],
  properties: { id: { type: 'string' }, memberCount: { type: 'integer' }, firstSeen: { type: 'string' }, lastSeen: { type: 'string' }, evidence },
} as const;
/** GET /v1/campaigns 200 */
export const getCampaigns200 = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: campaign } } } as const;
/** GET /v1/campaigns/:id 200 */
export const getCampaign200 = {
  type: 'object',
  required: [...campaign.required, 'members'],
  properties: {
    ...campaign.properties,
    members: {
      type: 'array',
      items: {
        type: 'object',
        required: ['caller', 'firstSeen', 'lastSeen', 'joinedAt', 'kinds'],
        properties: { caller: { type: 'string' }, firstSeen: { type: 'string' }, lastSeen: { type: 'string' }, joinedAt: { type: 'string' }, kinds: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
} as const;
