/**
 * JSON answers that hold a list of documents, written into one Buffer from the
 * JSON of each element: the same bytes as `JSON.stringify` in UTF-8.
 *
 * Why: one JSON.stringify of 20–1000 documents is a string of 0.1–6 MB,
 * two-byte as soon as one character lies beyond Latin-1 (an en dash in a
 * contact's name), which V8 builds as a rope in large-object space. The
 * first thing to read it (fastify's Buffer.byteLength for Content-Length)
 * flattens it, and the socket write encodes it again: 1.5 ms for 20 CKAN
 * dicts, against 0.3 ms for the stringify itself. The JSON of each document
 * is a few kB and encodes directly: 0.5 ms for the same bytes. One document
 * is faster as one string.
 */

/**
 * A list element whose JSON is already made (a dataset's answer kept by ./answer-cache.ts):
 * its bytes go into the answer as they are. JSON.stringify, which other answers use, sees
 * the value they hold.
 */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}
  toJSON(): unknown {
    return JSON.parse(this.bytes.toString('utf8'));
  }
}

/** An object JSON.stringify serializes by its own properties (no toJSON, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/** An array JSON.stringify serializes element by element, whose first element is an object (or made JSON). */
export const isObjectList = (v: unknown): v is unknown[] =>
  Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function' && ((v.length > 1 && isRecord(v[0])) || v[0] instanceof JsonBytes);

export type Part = string | Buffer;

/**
 * JSON.stringify's text of an array, one part per element. An element's toJSON is called
 * with the key "" rather than its index, which only a toJSON reading its key
 * would notice; the documents are plain objects, and Date and Buffer ignore it.
 */
export function listParts(list: unknown[], out: Part[]): void {
  out.push('[');
  for (let i = 0; i < list.length; i++) {
    if (i) out.push(',');
    const x = list[i];
    out.push(x instanceof JsonBytes ? x.bytes : (JSON.stringify(x) ?? 'null')); // undefined, functions and symbols are null in an array
  }
  out.push(']');
}

/** JSON.stringify's text of `{ ..., [list]: [...] }`: the list in parts, the other properties whole. */
export function recordParts(record: Record<string, unknown>, list: string, out: Part[]): void {
  out.push('{');
  let first = true;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (key === list) {
      out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      listParts(value as unknown[], out);
    } else {
      const json = JSON.stringify(value);
      if (json === undefined) continue; // a property JSON cannot hold is left out
      out.push(`${first ? '' : ','}${JSON.stringify(key)}:${json}`);
    }
    first = false;
  }
  out.push('}');
}

/** Parts written into one buffer: each is encoded once, with no large string between. */
export function concatParts(parts: readonly Part[]): Buffer {
  let total = 0;
  for (const p of parts) total += typeof p === 'string' ? Buffer.byteLength(p) : p.length;
  const bytes = Buffer.allocUnsafe(total);
  let at = 0;
  for (const p of parts) at += typeof p === 'string' ? bytes.write(p, at) : p.copy(bytes, at);
  return bytes;
}

/** The bytes of `record` when `record[list]` is a list of objects, else undefined (the caller sends the object). */
export function recordWithListBytes(record: Record<string, unknown>, list: string): Buffer | undefined {
  if (!isObjectList(record[list])) return undefined;
  const out: string[] = [];
  recordParts(record, list, out);
  return concatParts(out);
}
