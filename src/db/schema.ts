import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Dataset } from '../domain/model.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  /** Amtlicher Gemeindeschlüssel or district key. */
  ags: text('ags'),
  politicalGeocodingUri: text('political_geocoding_uri'),
  politicalGeocodingLevelUri: text('political_geocoding_level_uri'),
  homepage: text('homepage'),
  email: text('email'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  email: text('email'),
  fullname: text('fullname'),
  sysadmin: boolean('sysadmin').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const ROLES = ['member', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organizationId] }), index('memberships_org_idx').on(t.organizationId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/**
 * One row of truth per dataset: `doc` is the whole DCAT-AP.de document; the
 * other columns are derived from it on every write, for search, filters,
 * sorting and facets.
 */
export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull().unique(),
    uri: text('uri').notNull().unique(),
    identifier: text('identifier'),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    private: boolean('private').notNull().default(false),
    state: text('state', { enum: ['active', 'draft', 'deleted'] }).notNull().default('active'),
    revision: integer('revision').notNull().default(1),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** Space-joined keywords, only as input of the search vector. */
    keywordText: text('keyword_text').notNull().default(''),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    licenses: text('licenses').array().notNull().default(sql`'{}'::text[]`),
    formats: text('formats').array().notNull().default(sql`'{}'::text[]`),
    geocoding: text('geocoding').array().notNull().default(sql`'{}'::text[]`),
    issued: text('issued'),
    modified: text('modified'),
    metadataCreated: ts('metadata_created').notNull().defaultNow(),
    metadataModified: ts('metadata_modified').notNull().defaultNow(),
    doc: jsonb('doc').$type<Dataset>().notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('german'::regconfig, coalesce("title", '')), 'A') || setweight(to_tsvector('german'::regconfig, coalesce("keyword_text", '')), 'B') || setweight(to_tsvector('german'::regconfig, coalesce("description", '')), 'C')`,
      ),
  },
  (t) => [
    index('datasets_search_idx').using('gin', t.search),
    index('datasets_org_idx').on(t.organizationId),
    index('datasets_modified_idx').on(t.metadataModified, t.id),
    index('datasets_title_idx').on(t.title, t.id),
    index('datasets_identifier_idx').on(t.identifier),
    index('datasets_keywords_idx').using('gin', t.keywords),
    index('datasets_themes_idx').using('gin', t.themes),
    index('datasets_licenses_idx').using('gin', t.licenses),
    index('datasets_formats_idx').using('gin', t.formats),
    index('datasets_geocoding_idx').using('gin', t.geocoding),
  ],
);

/** Lookup rows for distributions (CKAN resources); their content lives in datasets.doc. */
export const distributions = pgTable(
  'distributions',
  {
    id: uuid('id').primaryKey(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    uri: text('uri'),
    format: text('format'),
    license: text('license'),
  },
  (t) => [uniqueIndex('distributions_dataset_pos_idx').on(t.datasetId, t.position)],
);

/** Every change to a dataset, with the whole document as it was after the change. */
export const revisions = pgTable(
  'revisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    datasetId: uuid('dataset_id').notNull(),
    revision: integer('revision').notNull(),
    action: text('action', { enum: ['create', 'update', 'patch', 'withdraw', 'restore'] }).notNull(),
    face: text('face').notNull(),
    userId: uuid('user_id'),
    userName: text('user_name'),
    tokenLabel: text('token_label'),
    harvestJobId: uuid('harvest_job_id'),
    doc: jsonb('doc').$type<Dataset>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('revisions_dataset_rev_idx').on(t.datasetId, t.revision)],
);

/** Acts that are not dataset revisions but must be traceable (purges, role changes). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    userId: uuid('user_id'),
    userName: text('user_name'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_target_idx').on(t.targetType, t.targetId)],
);
