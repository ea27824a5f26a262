import { Type } from 'typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous } from '../../auth/actor.js';
import auth from '../../auth/plugin.js';
import { AppError } from '../../errors.js';
import { CkanBadRequest, CkanError, fromAppError, notFoundError } from '../../ckan/errors.js';
import { required, type Data } from '../../ckan/params.js';
import { actionContext, type Actions } from './action.js';
import { listAnswerBytes } from './json.js';
import { organizationActions } from './actions/organizations.js';
import { packageActions } from './actions/packages.js';
import { searchActions } from './actions/search.js';
import { siteActions } from './actions/site.js';
import { harvestActions } from './actions/harvest.js';

/**
 * The CKAN Action API v3 (ckan/views/api.py): the same transport rules,
 * envelope and error statuses, so ckanapi, ckanext-harvest and scripts work
 * unchanged. The actions live in ./actions; this file is the transport.
 */

const ACTIONS: Actions = {
  ...siteActions,
  ...packageActions,
  ...searchActions,
  ...organizationActions,
  ...harvestActions,
  help_show: {
    sideEffectFree: true,
    help: 'The documentation of an action (name).',
    run: async (_ctx, data) => {
      const name = required(data, 'name');
      const action = ACTIONS[name];
      if (!action) throw notFoundError(`Action function not found: ${name}`);
      return action.help;
    },
  },
};

const JSON_TYPE = 'application/json;charset=utf-8';
/** A JavaScript identifier path, so the callback cannot inject script. */
const JSONP_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** A JSON object parsed from the body, or a CKAN bad request saying why not. */
function parseJsonObject(text: string): Data {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new CkanBadRequest(`JSON Error: Error decoding JSON data. Error: ${(err as Error).message} JSON data extracted from the request: ${excerpt}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CkanBadRequest(`JSON Error: Request data JSON decoded to ${JSON.stringify(value)} but it needs to be a dictionary.`);
  }
  return value as Data;
}

/** Form fields as CKAN reads them: repeated → list; a single field named by a JSON object is that object (curl -d '{...}'). */
function formData(body: string): Data {
  const params = new URLSearchParams(body);
  const keys = [...new Set(params.keys())];
  if (keys.length === 1 && ['', '1'].includes(params.get(keys[0]) ?? '') && keys[0].trim().startsWith('{')) return parseJsonObject(keys[0]);
  const out: Data = {};
  for (const k of keys) {
    const all = params.getAll(k);
    out[k] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** ckan/views/api.py _get_request_data, in its order. */
function requestData(request: FastifyRequest, sideEffectFree: boolean): Data {
  if (request.method === 'GET' && !sideEffectFree) throw new CkanBadRequest('JSON Error: Invalid request. Please use POST method for your request');
  const body = typeof request.body === 'string' ? request.body : '';
  const type = request.headers['content-type']?.split(';')[0].trim().toLowerCase() ?? '';
  if (request.method === 'POST' && type === 'application/x-www-form-urlencoded') return formData(body);
  const query = request.query as Data;
  if (sideEffectFree && Object.keys(query).length) return { ...query };
  if (body.trim()) return parseJsonObject(body);
  return request.method === 'GET' ? { ...query } : {};
}

const ckanApi: FastifyPluginAsync = async (app) => {
  const { config } = app.ctx;
  await app.register(auth, { face: 'ckan', onUnknownToken: 'anonymous' });

  // Bodies are read as text: CKAN decides how to parse them (and how to word the error).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const help = (name: string) => `${config.publicUrl}/api/3/action/help_show?name=${encodeURIComponent(name)}`;
  const fail = (reply: FastifyReply, name: string, err: CkanError) =>
    reply.status(err.status).type(JSON_TYPE).send({ help: help(name), success: false, error: err.body() });

  // Transport failures (body too large, ...) in the envelope too.
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const name = (request.params as { name?: string } | undefined)?.name ?? '';
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) request.log.error({ err }, 'CKAN action failed');
    const type = status === 500 ? 'Internal Server Error' : 'Bad Request';
    return reply.status(status).type(JSON_TYPE).send({ help: help(name), success: false, error: { __type: type, message: status === 500 ? 'Internal Server Error' : err.message } });
  });

  async function handle(request: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) {
    const { name } = request.params;
    const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    if (!action) return reply.status(400).type(JSON_TYPE).send(JSON.stringify(`Bad request - Action name not known: ${name}`));
    let data: Data;
    try {
      data = requestData(request, action.sideEffectFree);
    } catch (err) {
      if (err instanceof CkanBadRequest) return reply.status(400).type(JSON_TYPE).send(JSON.stringify(err.message));
      throw err;
    }
    // JSONP (ckan/views/api.py): the callback runs as anonymous, so a page of another site cannot read as the user.
    const callback = typeof data.callback === 'string' && request.method === 'GET' ? data.callback : undefined;
    if (callback !== undefined && !JSONP_NAME.test(callback)) return reply.status(400).type(JSON_TYPE).send(JSON.stringify('Bad request - Invalid callback name'));
    delete data.callback;
    const actor = callback !== undefined ? anonymous('ckan') : request.actor;
    const ctx = actionContext({ actor, config, db: app.ctx.database.db, log: request.log }, app.ctx.answers);
    try {
      const result = await action.run(ctx, data);
      if (callback !== undefined) return reply.type('application/javascript;charset=utf-8').send(`${callback}(${JSON.stringify({ help: help(name), success: true, result })});`);
      // Lists of dicts go out as bytes built from the dicts' JSON (./json.ts says why); the same bytes as the serializer's.
      return reply.type(JSON_TYPE).send(listAnswerBytes(help(name), result) ?? { help: help(name), success: true, result });
    } catch (err) {
      if (err instanceof CkanError) {
        request.log.info({ action: name, type: err.type, status: err.status }, err.message);
        return fail(reply, name, err);
      }
      if (err instanceof AppError) return fail(reply, name, fromAppError(err));
      throw err;
    }
  }

  const schema = {
    tags: ['CKAN Action API v3'],
    params: Type.Object({ name: Type.String({ description: 'Action name, e.g. package_search' }) }),
    description: 'CKAN Action API: GET with query parameters (read actions) or POST with a JSON or form body. Answers {help, success, result} or {help, success: false, error}.',
  };
  for (const url of ['/api/3/action/:name', '/api/action/:name']) {
    app.get(url, { schema: { ...schema, summary: 'Call a read action' } }, handle);
    app.post(url, { schema: { ...schema, summary: 'Call an action' } }, handle);
  }
  // Other methods: Flask's 405, as JSON.
  for (const url of ['/api/3/action/:name', '/api/action/:name']) {
    app.route({
      method: ['PUT', 'DELETE', 'PATCH'],
      url,
      schema: { hide: true },
      handler: (request, reply) => {
        const { name } = request.params as { name: string };
        const error = { __type: 'Method Not Allowed', message: `The method ${request.method} is not allowed for this URL; use GET or POST.` };
        return reply.status(405).header('allow', 'GET, POST').type(JSON_TYPE).send({ help: help(name), success: false, error });
      },
    });
  }
  // Only version 3 of the Action API exists.
  app.route({
    method: ['GET', 'POST'],
    url: '/api/:version/action/:name',
    schema: { hide: true },
    handler: (_request, reply) => reply.status(404).type(JSON_TYPE).send(JSON.stringify('Bad request - API version not supported')),
  });
  app.get('/api', { schema: { tags: schema.tags, summary: 'API version (CKAN compatibility)' } }, async () => ({ version: 1 }));
  app.get('/api/3', { schema: { tags: schema.tags, summary: 'API version (CKAN compatibility)' } }, async () => ({ version: 3 }));
};

export default ckanApi;
