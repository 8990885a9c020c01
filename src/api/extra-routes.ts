import type { RoutePlugin } from './server.js';
import { callRoutes } from './routes/conversation/calls.js';

// Route families beyond the foundation (STIR/SHAKEN, conversation guard, ...) add themselves here.
export const extraRoutes: RoutePlugin[] = [];
extraRoutes.push(callRoutes);
import { paymentsRoutes } from './routes/payments/routes.js'; extraRoutes.push(paymentsRoutes);
import { governanceRoutes } from './routes/governance/routes.js'; extraRoutes.push(governanceRoutes);
import { stirRoutes } from './routes/stir/routes.js'; extraRoutes.push(stirRoutes);
