import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpError } from './http-error.js';

/** Fastify's own error codes that are the client's fault, and how we answer them. */
function fromFastifyError(error: FastifyError): HttpError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError('payload_too_large', 'The request body is larger than 64 KiB.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError('unsupported_media_type', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError('invalid_request', 'The request says it has a JSON body but the body is empty.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError('invalid_request', 'The request body is not valid JSON.');
  }
  if (error.validation) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'request';
    const field = first?.instancePath ? `${where}${first.instancePath.replaceAll('/', '.')}` : where;
    return new HttpError('invalid_request', `Invalid ${field}: ${first?.message ?? 'does not match the schema'}.`);
  }
  if (error instanceof SyntaxError || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
    return new HttpError('invalid_request', 'The request could not be understood.');
  }
  return undefined;
}

/** Every error leaves the server as `{"error":{"code","message"}}`; only our own bugs are 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof HttpError ? error : fromFastifyError(error);
    if (known) {
      if (known.options.headers) reply.headers(known.options.headers);
      return reply.status(known.status).send(known.toBody());
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on the server.' } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(new HttpError('not_found', `There is no ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}.`).toBody());
  });
}
