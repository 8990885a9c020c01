// The route families of the areas beyond the foundation (conversation guard, payments, governance,
// STIR/SHAKEN); the server registers them after its own. A new area adds one import and one entry.
import type { RoutePlugin } from './server.js';
import { callRoutes } from './routes/conversation/calls.js';
import { paymentsRoutes } from './routes/payments/routes.js';
import { governanceRoutes } from './routes/governance/routes.js';
import { stirRoutes } from './routes/stir/routes.js';
import { responseRoutes } from './routes/response/routes.js';
import { campaignRoutes } from './routes/campaigns/routes.js';

export const extraRoutes: RoutePlugin[] = [callRoutes, paymentsRoutes, governanceRoutes, stirRoutes, responseRoutes, campaignRoutes];
