// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).

/** POST /stir/v1/signing 200 application/json */
export const postSigning = {
  type: 'object',
  required: ['signingResponse'],
  properties: {
    signingResponse: { type: 'object', required: ['identity'], properties: { identity: { type: 'string' } } },
  },
} as const;

/** POST /stir/v1/verification 200 application/json */
export const postVerification = {
  type: 'object',
  required: ['verificationResponse'],
  properties: {
    verificationResponse: {
      type: 'object',
      required: ['verstat'],
      properties: {
        verstat: { type: 'string' },
        reasoncode: { type: 'integer' },
        reasontext: { type: 'string' },
        reasondesc: { type: 'string' },
      },
    },
  },
} as const;

/** The ATIS-1000082 error body (SVC4000-SVC4007) the STI-AS and STI-VS answer malformed requests with. */
export const atisServiceException = {
  type: 'object',
  required: ['requestError'],
  properties: {
    requestError: {
      type: 'object',
      required: ['serviceException'],
      properties: {
        serviceException: {
          type: 'object',
          required: ['messageId', 'text', 'variables'],
          properties: { messageId: { type: 'string', pattern: '^SVC4\\d{3}$' }, text: { type: 'string' }, variables: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
} as const;
