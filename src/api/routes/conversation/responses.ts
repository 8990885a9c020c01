// Success responses of this area's routes, as /openapi.json documents them (see ../schemas.ts:
// objects are open, replies are serialised with JSON.stringify, so a schema never drops a field).

/** One alert of the conversation guard (`Alert` in src/conversation/types.ts), written once for calls and messages. */
const alert = {
  type: 'object',
  required: ['stage', 'severity', 'evidence', 'advice', 'lang', 'turn', 'risk'],
  properties: {
    stage: { type: 'string' },
    severity: { type: 'string' },
    evidence: { type: 'string', description: 'the words that raised the stage, as heard' },
    advice: { type: 'string', description: "what the callee should do, in the callee's language (or the reader's, with Accept-Language)" },
    lang: { type: 'string' },
    turn: { type: 'integer', description: '0-based index of the utterance that raised the alert' },
    risk: { type: 'number' },
  },
} as const;

/** POST /v1/calls 201 application/json */
export const postCalls201 = {
  type: 'object',
  required: ['callId', 'caller', 'callerKind', 'expiresAfterIdleSeconds'],
  properties: {
    callId: { type: 'string' },
    caller: { type: 'string' },
    callerKind: { type: 'string' },
    expiresAfterIdleSeconds: { type: 'integer' },
  },
} as const;

/** POST /v1/calls/:id/end 200 and GET /v1/calls/:id 200: application/json */
export const callSummary = {
  type: 'object',
  required: ['callId', 'caller', 'turns', 'risk', 'maxRisk', 'stages', 'alerts', 'label'],
  properties: {
    callId: { type: 'string' },
    caller: { type: 'string' },
    turns: { type: 'integer' },
    risk: { type: 'number' },
    maxRisk: { type: 'number' },
    stages: { type: 'array', items: { type: 'string' } },
    alerts: { type: 'array', items: alert },
    label: { type: 'string' },
  },
} as const;

/** POST /v1/messages/score 200 application/json */
export const postMessagesScore = {
  type: 'object',
  required: ['risk', 'label', 'stages', 'alerts', 'truncated'],
  properties: {
    risk: { type: 'number' },
    label: { type: 'string' },
    stages: { type: 'array', items: { type: 'string' } },
    alerts: { type: 'array', items: alert },
    truncated: { type: 'boolean' },
  },
} as const;

/** GET /v1/calls/:id/events 200: Server-Sent Events, `event: alert|risk|end|shutdown` then `data: <JSON>`. */
export const eventStream = { type: 'string', pattern: '^(?:(?:event: (?:alert|risk|end|shutdown)\\ndata: .*\\n|: keep-alive\\n)\\n)*$' } as const;
