import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { HttpError } from '../http/http-error.js';

/**
 * Serves the built renderer (the web client) at `/`. Paths that are not files
 * and not API calls get index.html, so that a reload on a client-side route
 * works. Without a build, `/` says how to make one.
 */
export async function registerWebClient(app: FastifyInstance, webRoot: string | undefined): Promise<void> {
  const index = webRoot ? join(webRoot, 'index.html') : undefined;
  if (!webRoot || !index || !existsSync(index)) {
    app.get('/', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><title>TAB</title><p>The web client is not built. Run <code>npm start</code>, or see <a href="/docs">the API docs</a>.</p>'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: webRoot, prefix: '/', index: ['index.html'], wildcard: false, cacheControl: false });
  app.get('/*', { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/') || path.startsWith('/docs')) {
      return reply.status(404).send(new HttpError('not_found', `There is no GET ${path.slice(0, 200)}.`).toBody());
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
