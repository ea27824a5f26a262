import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createUser, listUsers, me } from '../../catalog/users.js';
import { createToken, listTokens, revokeToken } from '../../catalog/tokens.js';
import { errors, Me, NewToken, Token, TokenCreate, User, UserCreate } from './schemas.js';

const userAndTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.ctx.database.db;
  const security = [{ bearer: [] }];

  app.get('/users/me', { schema: { tags: ['users'], summary: 'The authenticated user and their roles', security, response: { 200: Me, ...errors(401) } } }, async (request) =>
    me(db(), request.actor),
  );

  app.get('/users', { schema: { tags: ['users'], summary: 'All users (sysadmins)', security, response: { 200: Type.Array(User), ...errors(401, 403) } } }, async (request) =>
    listUsers(db(), request.actor),
  );

  app.post(
    '/users',
    { schema: { tags: ['users'], summary: 'Create a user (sysadmins)', security, body: UserCreate, response: { 201: User, ...errors(400, 401, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await createUser(db(), request.actor, request.body)),
  );

  app.post(
    '/users/:user/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: "Issue a token for another user (sysadmins): the user's first token",
        security,
        params: Type.Object({ user: Type.String({ description: 'User id or name' }) }),
        body: TokenCreate,
        response: { 201: NewToken, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await createToken(db(), request.actor, request.body.label, request.params.user)),
  );

  app.get('/tokens', { schema: { tags: ['tokens'], summary: 'Your tokens (without the secrets)', security, response: { 200: Type.Array(Token), ...errors(401) } } }, async (request) =>
    listTokens(db(), request.actor),
  );

  app.post(
    '/tokens',
    { schema: { tags: ['tokens'], summary: 'Create a token: the secret is shown in this answer only', security, body: TokenCreate, response: { 201: NewToken, ...errors(400, 401) } } },
    async (request, reply) => reply.status(201).send(await createToken(db(), request.actor, request.body.label)),
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of your tokens',
        security,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Token, ...errors(401, 404) },
      },
    },
    async (request) => revokeToken(db(), request.actor, request.params.id),
  );
};

export default userAndTokenRoutes;
