import { AppError, type Problem } from '../errors.js';

/**
 * CKAN's error types (ckan/views/api.py): the `__type` strings are the real
 * interface, since ckanapi maps them back to exceptions.
 */
export type CkanErrorType = 'Validation Error' | 'Not Found Error' | 'Authorization Error' | 'Search Query Error' | 'Search Error' | 'Integrity Error';

const STATUS: Record<CkanErrorType, number> = {
  'Validation Error': 409,
  'Not Found Error': 404,
  'Authorization Error': 403,
  'Search Query Error': 400,
  'Search Error': 409,
  'Integrity Error': 400,
};

export type FieldErrors = Record<string, unknown>;

export class CkanError extends Error {
  readonly status: number;
  constructor(
    readonly type: CkanErrorType,
    message: string | undefined,
    /** Field errors of a Validation Error: then there is no message key. */
    readonly fields?: FieldErrors,
  ) {
    super(message ?? type);
    this.status = STATUS[type];
  }

  body(): Record<string, unknown> {
    return this.fields ? { ...this.fields, __type: this.type } : { __type: this.type, message: this.message };
  }
}

/** A Bad request answered as a bare JSON string, as CKAN does for transport errors. */
export class CkanBadRequest extends Error {
  constructor(readonly detail: string) {
    super(`Bad request - ${detail}`);
  }
}

export const validationError = (fields: FieldErrors) => new CkanError('Validation Error', undefined, fields);
export const notFoundError = (detail?: string) => new CkanError('Not Found Error', detail ? `Not found: ${detail}` : 'Not found');
export const authError = (detail?: string) => new CkanError('Authorization Error', detail ? `Access denied: ${detail}` : 'Access denied');
export const missing = (field: string) => validationError({ [field]: ['Missing value'] });

/** Where a model path lands in a package dict. */
const PATH_FIELDS: Record<string, string> = {
  title: 'title',
  description: 'notes',
  keyword: 'tags',
  theme: 'groups',
  organization: 'owner_org',
  name: 'name',
  landingPage: 'url',
  versionInfo: 'version',
  contactPoint: 'maintainer',
  creator: 'author',
};
const RESOURCE_FIELDS: Record<string, string> = { accessURL: 'url', downloadURL: 'download_url', title: 'name', byteSize: 'size', mediaType: 'mimetype', checksum: 'hash' };

/** Problems of a model document as CKAN's field errors: resources as one dict per resource. */
export function problemsToFields(problems: Problem[], resourceCount: number): FieldErrors {
  const fields: Record<string, string[]> = {};
  const resources: Record<string, string[]>[] = Array.from({ length: resourceCount }, () => ({}));
  let resourceErrors = false;
  for (const p of problems) {
    const parts = p.path.split('/').filter(Boolean);
    if (parts[0] === 'distribution' && /^\d+$/.test(parts[1] ?? '')) {
      const i = Number(parts[1]);
      const key = RESOURCE_FIELDS[parts[2] ?? ''] ?? parts.slice(2).join('.') ?? 'resource';
      while (resources.length <= i) resources.push({});
      (resources[i][key || 'resource'] ??= []).push(p.message);
      resourceErrors = true;
      continue;
    }
    const key = PATH_FIELDS[parts[0] ?? ''] ?? (parts.join('.') || '__root');
    (fields[key] ??= []).push(p.message);
  }
  return resourceErrors ? { ...fields, resources } : fields;
}

/** The catalog's errors in CKAN's terms. */
export function fromAppError(err: AppError, resourceCount = 0): CkanError {
  switch (err.status) {
    case 401:
    case 403:
      return authError(err.message);
    case 404:
      return notFoundError(err.message);
    case 409:
      if (/name/i.test(err.message)) return validationError({ name: ['That URL is already in use.'] });
      return validationError({ id: [err.message] });
    case 422:
      return validationError(problemsToFields((err.details as Problem[] | undefined) ?? [], resourceCount));
    default:
      return validationError({ message: [err.message] });
  }
}
