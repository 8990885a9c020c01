import type { RoutePlugin } from './server.js';

// Route families beyond the foundation (STIR/SHAKEN, conversation guard, ...) add themselves here.
export const extraRoutes: RoutePlugin[] = [];
