import fp from 'fastify-plugin';
import type { FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Db } from '../db/client.js';
import { unauthorized } from '../errors.js';
import { anonymous, resolveToken, type Actor, type Face } from './actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface AuthOptions {
  face: Face;
  /** 'reject' answers 401 for an unknown or revoked token (REST); 'anonymous' goes on without it (CKAN does). */
  onUnknownToken: 'reject' | 'anonymous';
}

/** The token of a request: `Authorization: Bearer t`, a raw `Authorization: t` (CKAN) or `X-CKAN-API-Key: t`. */
export function tokenOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization?.trim();
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (m) return m[1];
    if (!/\s/.test(auth)) return auth;
  }
  const key = request.headers['x-ckan-api-key'];
  const raw = Array.isArray(key) ? key[0] : key;
  return raw?.trim() || undefined;
}

/** A hook that sets request.actor; usable directly as onRequest or preHandler of any route. */
export function actorHook(db: () => Db, opts: AuthOptions): preHandlerAsyncHookHandler {
  return async function resolveActor(request) {
    const token = tokenOf(request);
    if (!token) {
      request.actor = anonymous(opts.face);
      return;
    }
    const actor = await resolveToken(db(), token, opts.face);
    if (actor) request.actor = actor;
    else if (opts.onUnknownToken === 'anonymous') request.actor = anonymous(opts.face);
    else throw unauthorized('The API token is unknown or revoked.');
  };
}

/**
 * Register it inside a face's own (encapsulated) plugin: the fastify-plugin
 * wrapper makes the hook apply to that face's routes only, each face with its
 * own options. Needs app.ctx (set by buildApp).
 */
const authPlugin: FastifyPluginAsync<AuthOptions> = async (app, opts) => {
  if (!app.hasRequestDecorator('actor')) app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', actorHook(() => app.ctx.database.db, opts));
};

export default fp(authPlugin, { fastify: '5.x' });
