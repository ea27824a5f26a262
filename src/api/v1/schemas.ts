import { Type, type TObject, type TSchema } from 'typebox';
import { Dataset, Distribution } from '../../domain/model.js';
import { rdfOf } from '../../domain/property.js';

/**
 * Request schemas of the REST API derived from the model. Vocabulary
 * properties accept any string here (codes and aliases such as "csv" or
 * "dl-de-by-2.0" are resolved and checked by the catalog, which answers 422
 * for an unknown value); everything else is checked as the model says (400
 * with the path).
 */
function relax(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(relax);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const a = rdfOf(s as TSchema);
  const out: Record<string, unknown> = {};
  if (a?.vocab && a.kind === 'iri') {
    const str = { type: 'string', maxLength: 4096 };
    Object.assign(out, a.many ? { type: 'array', items: str } : str, { 'x-rdf': a }, s.description ? { description: s.description } : {});
  }
  // TypeBox keeps markers such as ~optional as non-enumerable properties: copy those too.
  for (const k of Object.getOwnPropertyNames(s)) {
    const d = Object.getOwnPropertyDescriptor(s, k) as PropertyDescriptor;
    if (!d.enumerable) Object.defineProperty(out, k, { ...d, value: d.value });
    else if (!(k in out) && !(a?.vocab && a.kind === 'iri')) out[k] = k === 'x-rdf' || k === 'x-rdf-classes' ? d.value : relax(d.value);
  }
  return out;
}

const JsonLdContext = Type.Union([Type.String(), Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown())], {
  description: 'Ignored on input: documents always use the catalog context',
});

const relaxedDataset = relax(Dataset) as TObject;
const DatasetInputSchema = Type.Object(
  { '@context': Type.Optional(JsonLdContext), ...relaxedDataset.properties },
  { $id: 'DatasetInput', additionalProperties: false, description: 'A DCAT-AP.de dataset as compact JSON-LD; plain strings are text in the catalog language' },
);
const DistributionInputSchema = Type.Object((relax(Distribution) as TObject).properties, {
  $id: 'DistributionInput',
  additionalProperties: false,
  description: 'A DCAT-AP.de distribution',
});
const DatasetDocumentSchema = Type.Object(
  { '@context': Type.String({ description: 'URL of the catalog context' }), ...Dataset.properties },
  { $id: 'DatasetDocument', additionalProperties: false, description: 'A DCAT-AP.de dataset as compact JSON-LD with record metadata' },
);
const DistributionDocumentSchema = { ...Distribution, $id: 'Distribution' };

/**
 * The big model schemas are shared (components in OpenAPI) and routes refer
 * to them; the v1 validator compiler resolves the reference to the schema.
 */
/** The input schemas themselves, for checks after a merge (PATCH). */
export { DatasetInputSchema as DatasetInputBody, DistributionInputSchema as DistributionInputBody };

export const sharedSchemas = [DatasetInputSchema, DistributionInputSchema, DatasetDocumentSchema, DistributionDocumentSchema] as TSchema[];
const byRef = new Map(sharedSchemas.map((s) => [`${(s as { $id: string }).$id}#`, s]));
export function resolveShared(schema: TSchema): TSchema {
  const ref = (schema as { $ref?: string }).$ref;
  return (ref && byRef.get(ref)) || schema;
}
// Typed loosely: the model's static type cannot express the '@type' literal the documents carry.
const ref = (id: string) => Type.Unsafe<Record<string, unknown>>({ $ref: `${id}#` });
export const DatasetInput = ref('DatasetInput');
export const DistributionInput = ref('DistributionInput');
export const DatasetDocument = ref('DatasetDocument');
export const DistributionDocument = ref('Distribution');

export const MergePatch = Type.Object({}, { additionalProperties: true, description: 'JSON merge patch (RFC 7386) of the document; null removes a property' });


export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'Error' },
);

export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorBody]));

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 4096, description: 'Dataset id, name or URI' }) });

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the version the change is based on (412 when stale)' })),
});

export const FacetCount = Type.Object({ name: Type.String(), count: Type.Integer() });

export const DatasetList = Type.Object({
  count: Type.Integer({ description: 'Matching datasets in all' }),
  results: Type.Array(DatasetDocument),
  next: Type.Optional(Type.String({ description: 'URL of the next page (cursor paging)' })),
  nextCursor: Type.Optional(Type.String()),
  facets: Type.Optional(Type.Record(Type.String(), Type.Array(FacetCount))),
});

export const Revision = Type.Object({
  revision: Type.Integer(),
  action: Type.String(),
  face: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  userName: Type.Union([Type.String(), Type.Null()]),
  tokenLabel: Type.Union([Type.String(), Type.Null()]),
  harvestJobId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const Organization = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  title: Type.String(),
  description: Type.String(),
  ags: Nullable(Type.String()),
  politicalGeocodingUri: Nullable(Type.String()),
  politicalGeocodingLevelUri: Nullable(Type.String()),
  homepage: Nullable(Type.String()),
  email: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Slug = Type.String({ pattern: '^[a-z0-9_-]{2,100}$' });
const orgFields = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 100_000 })),
  ags: Type.Optional(Nullable(Type.String({ pattern: '^\\d{2,12}$' }))),
  politicalGeocodingUri: Type.Optional(Nullable(Type.String({ format: 'uri' }))),
  politicalGeocodingLevelUri: Type.Optional(Nullable(Type.String({ format: 'uri' }))),
  homepage: Type.Optional(Nullable(Type.String({ format: 'uri' }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email' }))),
};
export const OrganizationCreate = Type.Object({ name: Slug, ...orgFields }, { additionalProperties: false });
export const OrganizationUpdate = Type.Object({ name: Type.Optional(Slug), ...orgFields, title: Type.Optional(orgFields.title) }, { additionalProperties: false });

// One enum (not a union of literals) so a wrong role is one clear problem, not one per literal.
export const RoleSchema = Type.Enum(['member', 'editor', 'admin']);
export const Member = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  userName: Type.String(),
  fullname: Nullable(Type.String()),
  role: RoleSchema,
  since: Type.String({ format: 'date-time' }),
});

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Nullable(Type.String()),
  fullname: Nullable(Type.String()),
  sysadmin: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export const UserCreate = Type.Object(
  {
    name: Slug,
    email: Type.Optional(Nullable(Type.String({ format: 'email' }))),
    fullname: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    sysadmin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const Me = Type.Object({
  ...User.properties,
  memberships: Type.Array(Type.Object({ organization: Type.Object({ id: Type.String(), name: Type.String(), title: Type.String() }), role: RoleSchema })),
  token: Nullable(Type.Object({ label: Nullable(Type.String()) })),
});

export const Token = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
  label: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
});
export const NewToken = Type.Object({ ...Token.properties, token: Type.String({ description: 'The secret: shown this once, store it now' }) });
export const TokenCreate = Type.Object({ label: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
