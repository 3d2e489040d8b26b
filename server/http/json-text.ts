import type { FastifyReply } from 'fastify';

/**
 * Sends a body that is already JSON text (a view that keeps its rows'
 * serialized form, e.g. the lists of sessions): Fastify sends a string as it
 * is. The route's response schema still documents the shape.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
