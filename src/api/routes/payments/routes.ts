import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import type { Metrics } from '../../metrics.js';
import { paymentsAccountRoutes } from './accounts.js';
import { paymentsTransferRoutes } from './transfers.js';
import { paymentsFreezeRoutes } from './freezes.js';
import { paymentsFamilyRoutes } from './family.js';
import { paymentsCaseRoutes } from './cases.js';
import { paymentsWebhookRoutes } from './webhooks.js';

/** Every payments route family (listed once in api/extra-routes.ts). */
export async function paymentsRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }): Promise<void> {
  for (const plugin of [paymentsAccountRoutes, paymentsTransferRoutes, paymentsFreezeRoutes, paymentsFamilyRoutes, paymentsCaseRoutes, paymentsWebhookRoutes]) {
    await app.register(plugin, opts);
  }
}
