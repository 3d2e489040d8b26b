import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { About } from '../../shared/api/about.js';
import type { RouteDeps } from './context.js';

/**
 * What this server's data comes from: the location database and the credit
 * its licence asks for (DB-IP's: a link back wherever its locations are
 * shown). Public, like /healthz: no version, nothing about anyone.
 */
export const aboutRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/about',
    { config: { auth: 'none' }, schema: { tags: ['about'], summary: 'Data sources and their credits', response: { 200: About } } },
    async () => ({ product: 'TAB' as const, locationData: deps.locator.about }),
  );
};
