import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Ok } from '../../shared/api/common.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { config: { auth: 'none' }, schema: { tags: ['health'], response: { 200: Ok } } }, async () => ({ ok: true as const }));
};
