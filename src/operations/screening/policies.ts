import type { AppContext } from '../../app-context.js';
import { CallshieldError } from '../../errors.js';
import { parseIdentifier } from '../../identity/index.js';
import { compilePolicy, describePolicy, serialisePolicy } from '../../screening/index.js';
import type { PolicyInput } from '../../screening/index.js';
import { upsertPolicy } from '../../store/screening/policies.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../write.js';

function subscriberKey(ctx: AppContext, subscriber: string): string {
  const id = parseIdentifier(subscriber, { defaultRegion: ctx.config.defaultRegion }, 'subscriber');
  if (id.kind === 'anonymous') throw new CallshieldError('IDENTITY_ANONYMOUS_NOT_ALLOWED', 'a subscriber needs an identifier', { field: 'subscriber' });
  return ctx.hash(id.canonical);
}

/** The subscriber's app sets their policy; the subscriber's own number is stored only as a hash. */
export async function setPolicy(ctx: AppContext, subscriber: string, input: PolicyInput, actor: Actor): Promise<Record<string, unknown>> {
  const key = subscriberKey(ctx, subscriber);
  const policy = compilePolicy(input, ctx.hash, ctx.config.defaultRegion);
  await inTransaction(ctx, async ({ db }) => upsertPolicy(db, key, actor.orgId, serialisePolicy(policy), new Date(ctx.now()).toISOString()));
  ctx.policies.set(key, policy);
  await ctx.publishPolicy(key);
  return describePolicy(policy);
}

export function getPolicy(ctx: AppContext, subscriber: string): Record<string, unknown> {
  const policy = ctx.policies.get(subscriberKey(ctx, subscriber));
  if (!policy) throw new CallshieldError('SCREENING_POLICY_NOT_FOUND', 'this subscriber has not set a policy', { field: 'subscriber' });
  return describePolicy(policy);
}
