import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Maps every failure to {error: {code, message, details}} with the right status. */
export function toErrorBody(err: FastifyError | AppError | Error): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    // TypeBox reports an unknown property twice (as `false` schema and as additionalProperties): keep the clear one.
    const details = fe.validation
      .filter((v) => v.keyword !== 'boolean')
      .map((v) => {
        const extra = v.keyword === 'additionalProperties' ? (v.params as { additionalProperties?: unknown }).additionalProperties : undefined;
        const names = Array.isArray(extra) ? extra.map(String) : extra !== undefined ? [String(extra)] : [];
        return names.length
          ? names.map((n) => ({ path: `${v.instancePath}/${n}`, message: 'is not a known property' }))
          : [{ path: v.instancePath || '/', message: v.message ?? 'is invalid' }];
      })
      .flat();
    return {
      status: 400,
      body: { error: { code: 'validation_failed', message: `The request ${fe.validationContext ?? 'body'} does not match the schema.`, details } },
    };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: { code: 'malformed_json', message: `The request body is not valid JSON: ${fe.message}` } } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: { code: 'body_too_large', message: 'The request body is larger than the configured limit.' } } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: { code: 'unsupported_media_type', message: fe.message } } };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: (fe.code ?? 'bad_request').toLowerCase(), message: fe.message } } };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Internal server error; the request id in the logs tells what happened.' } } };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorBody(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.error.code, status }, body.error.message);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` } }),
  );
}
