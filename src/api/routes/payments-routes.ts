import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import type { Metrics } from '../metrics.js';
import { paymentsAccountRoutes } from './payments-accounts.js';
import { paymentsTransferRoutes } from './payments-transfers.js';
import { paymentsFreezeRoutes } from './payments-freezes.js';
import { paymentsFamilyRoutes } from './payments-family.js';
import { paymentsCaseRoutes } from './payments-cases.js';
import { paymentsWebhookRoutes } from './payments-webhooks.js';

/** Every payments route family (registered once in extra-routes.ts). */
export async function paymentsRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }): Promise<void> {
  for (const plugin of [paymentsAccountRoutes, paymentsTransferRoutes, paymentsFreezeRoutes, paymentsFamilyRoutes, paymentsCaseRoutes, paymentsWebhookRoutes]) {
    await app.register(plugin, opts);
  }
}
