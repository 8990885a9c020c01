import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import type { Language } from '../../screening/index.js';
import { findPolicy } from '../../store/screening/policies.js';
import type { Actor } from '../actor.js';

/**
 * Which organisation serves a subscriber, for the records and signals that act on that person:
 * guardians, screen-sharing and risky-call marks, do-not-call registrations made through an app,
 * and consents the person withdraws.
 *
 * An app serves a subscriber when it holds that subscriber's policy: PUT /v1/subscribers/{s}/policy
 * is how an app registers a person it has verified (by the one-time code it sent to the number),
 * and that write is audited with the person behind the key. An admin serves every subscriber. A
 * carrier or platform running the conversation guard serves the calls it carries (see
 * operations/conversation/calls.ts); it holds no policies.
 *
 * The answer concerns only the asking organisation's own records, so a refusal tells it nothing
 * about other organisations.
 */
export function servesSubscriber(ctx: AppContext, actor: Actor, subscriberHash: string): boolean {
  return actor.role === 'admin' || ctx.policies.has(actor.orgId, subscriberHash);
}

/**
 * Refuses an organisation that does not serve the subscriber. Asks the store when this node's
 * memory has no policy, so a policy set on another node a moment ago counts before the change log
 * brings it here.
 */
export async function requireServing(ctx: AppContext, actor: Actor, subscriberHash: string, field = 'subscriber'): Promise<void> {
  if (!servesSubscriber(ctx, actor, subscriberHash) && !(await findPolicy(ctx.db, actor.orgId, subscriberHash))) {
    throw new CallshieldError('SCREENING_NOT_SERVING', 'your organisation does not serve this subscriber: set their policy first (PUT /v1/subscribers/{subscriber}/policy)', { field });
  }
}

/**
 * What a bank's transfer check takes from the subscriber's policies (a bank holds none): guardian
 * mode when any app serving the person turned it on (the stricter reading: it only ever asks for
 * more care), and the language of the first app's policy.
 */
export function protectionOf(ctx: AppContext, subscriberHash: string): { guardianMode: boolean; language: Language | undefined } {
  let guardianMode = false;
  let language: Language | undefined;
  for (const [, p] of ctx.policies.ofSubscriber(subscriberHash)) {
    guardianMode ||= p.guardianMode;
    language ??= p.language;
  }
  return { guardianMode, language };
}
