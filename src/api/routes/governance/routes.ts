import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.js';
import type { Metrics } from '../../metrics.js';
import { loadGovernance } from '../../../operations/governance/state.js';
import { governanceDncRoutes } from './dnc.js';
import { governanceHolderRoutes } from './holders.js';
import { governanceComplaintRoutes } from './complaints.js';
import { governanceCdrRoutes } from './cdr.js';
import { governanceStatsRoutes } from './stats.js';

/**
 * Every governance route family. Registering it loads the do-not-call set, the consents and the
 * number-holder blocks into memory before the server listens, so scrubs and screening never wait
 * on the database.
 */
export async function governanceRoutes(app: FastifyInstance, opts: { ctx: AppContext; metrics: Metrics }): Promise<void> {
  await loadGovernance(opts.ctx);
  for (const plugin of [governanceDncRoutes, governanceHolderRoutes, governanceComplaintRoutes, governanceCdrRoutes, governanceStatsRoutes]) {
    await app.register(plugin, opts);
  }
}
