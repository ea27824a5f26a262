import { validationError } from './errors.js';

/**
 * CKAN action parameters arrive as strings over GET and typed over POST;
 * each reader accepts both and answers CKAN's Validation Error otherwise
 * (CKAN itself answers 500 for a bad boolean; we name the parameter).
 */

export type Data = Record<string, unknown>;

const TRUE = /^(true|yes|on|y|t|1)$/i;
const FALSE = /^(false|no|off|n|f|0)$/i;

export function bool(data: Data, name: string, fallback: boolean): boolean {
  const v = data[name];
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  if (typeof v === 'string' && TRUE.test(v.trim())) return true;
  if (typeof v === 'string' && FALSE.test(v.trim())) return false;
  throw validationError({ [name]: ['Parameter is not an bool'] });
}

/** A natural number (0 included); `max` caps silently, as CKAN caps rows. */
export function natural(data: Data, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = data[name];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw validationError({ [name]: ['Invalid integer'] });
  if (n < 0) throw validationError({ [name]: ['Must be a natural number'] });
  return Math.min(n, max);
}

export function str(data: Data, name: string): string | undefined {
  const v = data[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  throw validationError({ [name]: ['Must be a string'] });
}

export function required(data: Data, ...names: string[]): string {
  for (const n of names) {
    const v = str(data, n);
    if (v !== undefined && v !== '') return v;
  }
  throw validationError({ [names[0]]: ['Missing value'] });
}

/** A list given as JSON (array, or a JSON string over GET), e.g. facet.field. */
export function jsonList(data: Data, name: string): string[] | undefined {
  const v = data[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') throw validationError({ [name]: ['Not a list'] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw validationError({ [name]: ['Could not parse as valid JSON', 'Not a list'] });
  }
  if (!Array.isArray(parsed)) throw validationError({ [name]: ['Not a list'] });
  return parsed.map(String);
}

/** Repeated parameters (fq_list=a&fq_list=b) or a list. */
export function strings(data: Data, name: string): string[] {
  const v = data[name];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.trim().startsWith('[')) {
    try {
      const p: unknown = JSON.parse(v);
      if (Array.isArray(p)) return p.map(String);
    } catch {
      // a single value
    }
  }
  return [String(v)];
}
