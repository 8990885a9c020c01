// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).

/** POST /v1/screen/batch 200 application/json */
export const postScreenBatch = {
  type: 'object',
  required: ['results'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          caller: { type: 'string' },
          callerKind: { type: 'string' },
          action: { type: 'string' },
          score: { type: 'integer' },
          category: { type: ['string', 'null'] },
          label: { type: 'string' },
          reasons: { type: 'array', items: { type: 'object' } },
          advice: { type: 'string' },
          error: {
            type: 'object',
            properties: {
              type: { type: 'string' },
              title: { type: 'string' },
              status: { type: 'integer' },
              detail: { type: 'string' },
              instance: { type: 'string' },
              code: { type: 'string' },
              field: { type: 'string' },
              requestId: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;
