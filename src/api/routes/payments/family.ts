import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import { getGuardians, MAX_GUARDIANS, reportScreenSharing, sendImpersonationAlert, setGuardians } from '../../../operations/payments/family.js';
import type { GuardiansInput } from '../../../operations/payments/family.js';
import { errorResponses, identifierString, ok } from '../schemas.js';
import * as R from './responses.js';
import { subscriberParams } from './schemas.js';

const guardian = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'contact'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, contact: identifierString, webhookUrl: { type: 'string', minLength: 1, maxLength: 2000 } },
} as const;

export async function paymentsFamilyRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['payments'];

  app.post<{ Params: { subscriber: string }; Body: { active: boolean; caller?: string } }>(
    '/v1/subscribers/:subscriber/screen-sharing',
    {
      config: { permission: 'subscribers.signal' },
      schema: {
        tags,
        summary: "The subscriber's app reports screen sharing during a call with a stranger (sets the risky-call mark)",
        params: subscriberParams,
        body: { type: 'object', additionalProperties: false, required: ['active'], properties: { active: { type: 'boolean' }, caller: identifierString } },
        response: ok(R.postSubscribersBySubscriberScreenSharing),
      },
    },
    async (request) => reportScreenSharing(ctx, request.params.subscriber, request.body, request.actor),
  );

  app.put<{ Params: { subscriber: string }; Body: GuardiansInput }>(
    '/v1/subscribers/:subscriber/guardians',
    {
      config: { permission: 'guardians.write' },
      schema: {
        tags,
        summary: 'Name the guardians told about risky calls, held transfers and impersonation (the signing secret is returned once)',
        params: subscriberParams,
        body: { type: 'object', additionalProperties: false, required: ['guardians'], properties: { guardians: { type: 'array', maxItems: MAX_GUARDIANS, items: guardian } } },
        response: ok(R.putSubscribersBySubscriberGuardians),
      },
    },
    async (request) => setGuardians(ctx, request.params.subscriber, request.body, request.actor),
  );

  app.get<{ Params: { subscriber: string } }>(
    '/v1/subscribers/:subscriber/guardians',
    { config: { permission: 'guardians.read' }, schema: { tags, summary: "A subscriber's guardians (never the secret)", params: subscriberParams, response: ok(R.getSubscribersBySubscriberGuardians) } },
    async (request) => getGuardians(ctx, request.params.subscriber, request.actor),
  );

  app.post<{ Params: { subscriber: string }; Body: { caller?: string; name?: string } }>(
    '/v1/subscribers/:subscriber/impersonation-alert',
    {
      config: { permission: 'family.alert' },
      schema: {
        tags,
        summary: 'Warn the family: someone may impersonate the subscriber with a recorded face or voice — verify by calling back on the known number',
        params: subscriberParams,
        body: { type: 'object', additionalProperties: false, properties: { caller: identifierString, name: { type: 'string', minLength: 1, maxLength: 100 } } },
        response: ok(R.postSubscribersBySubscriberImpersonationAlert),
      },
    },
    async (request) => sendImpersonationAlert(ctx, request.params.subscriber, request.body ?? {}, request.actor),
  );
}
