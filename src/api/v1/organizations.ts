import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createOrganization, deleteOrganization, getOrganization, listOrganizations, updateOrganization } from '../../catalog/organizations.js';
import { listMembers, removeMember, setMember } from '../../catalog/members.js';
import { errors, Member, Organization, OrganizationCreate, OrganizationUpdate, RoleSchema } from './schemas.js';

const OrgParam = Type.Object({ id: Type.String({ description: 'Organization id or name' }) });
const MemberParams = Type.Object({ id: Type.String({ description: 'Organization id or name' }), user: Type.String({ description: 'User id or name' }) });

const organizationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.ctx.database.db;
  const tags = ['organizations'];
  const security = [{ bearer: [] }];

  app.get('/organizations', { schema: { tags, summary: 'All organizations', response: { 200: Type.Array(Organization) } } }, async () => listOrganizations(db()));

  app.get(
    '/organizations/:id',
    { schema: { tags, summary: 'One organization', params: OrgParam, response: { 200: Organization, ...errors(404) } } },
    async (request) => getOrganization(db(), request.params.id),
  );

  app.post(
    '/organizations',
    { schema: { tags, summary: 'Create an organization (sysadmins)', security, body: OrganizationCreate, response: { 201: Organization, ...errors(400, 401, 403, 409) } } },
    async (request, reply) => {
      const org = await createOrganization(db(), request.actor, request.body);
      return reply.status(201).header('location', `${app.ctx.config.publicUrl}/api/v1/organizations/${org.name}`).send(org);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/organizations/:id',
      {
        schema: {
          tags,
          summary: method === 'put' ? 'Update an organization (sysadmins)' : 'Change part of an organization (sysadmins)',
          security,
          params: OrgParam,
          body: OrganizationUpdate,
          response: { 200: Organization, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => updateOrganization(db(), request.actor, request.params.id, request.body),
    );
  }

  app.delete(
    '/organizations/:id',
    { schema: { tags, summary: 'Delete an organization without datasets (sysadmins)', security, params: OrgParam, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } } },
    async (request, reply) => {
      await deleteOrganization(db(), request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/organizations/:id/members',
    { schema: { tags, summary: 'Members and their roles (visible to members)', security, params: OrgParam, response: { 200: Type.Array(Member), ...errors(401, 403, 404) } } },
    async (request) => listMembers(db(), request.actor, request.params.id),
  );

  app.put(
    '/organizations/:id/members/:user',
    {
      schema: {
        tags,
        summary: 'Give a user a role (organization admins)',
        security,
        params: MemberParams,
        body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
        response: { 200: Member, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => setMember(db(), request.actor, request.params.id, request.params.user, request.body.role),
  );

  app.delete(
    '/organizations/:id/members/:user',
    { schema: { tags, summary: 'Take a user\'s role away (organization admins)', security, params: MemberParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (request, reply) => {
      await removeMember(db(), request.actor, request.params.id, request.params.user);
      return reply.status(204).send(null);
    },
  );
};

export default organizationRoutes;
