import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';

/**
 * Failures before a request reaches a route, answered in the contract's shape
 * `{"error":{"code","message"}}` with the status they always had.
 *
 * The router (Fastify's `frameworkErrors`): a path that is not valid
 * percent-encoding is 400 `invalid_request`; a path parameter longer than
 * the router accepts is 414 `uri_too_long`.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const known =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new HttpError('uri_too_long', 'A part of the path is longer than the server accepts.')
      : error.code === 'FST_ERR_BAD_URL'
        ? new HttpError('invalid_request', 'The path is not valid percent-encoding.')
        : new HttpError('invalid_request', 'The request could not be routed.');
  void reply.status(known.status).send(known.toBody());
}

/**
 * The HTTP parser (Node's `clientError`, before any request object exists):
 * headers over 16 KiB are 431 `headers_too_large`, a request that took too
 * long is 408 `request_timeout`, anything else unparseable (a bad
 * Content-Length, garbage instead of HTTP) is 400 `invalid_request`. The
 * connection is closed after the answer, as Node does.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new HttpError('headers_too_large', 'The request headers are larger than the server accepts (16 KiB).')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new HttpError('request_timeout', 'The request took too long to arrive.')
        : new HttpError('invalid_request', 'The request is not valid HTTP.');
  if (socket.writable) {
    const body = JSON.stringify(known.toBody());
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
