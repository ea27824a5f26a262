import { StringDecoder } from 'node:string_decoder';
import { RdfSyntaxError } from './errors.js';
import type { RdfFormat } from './media-types.js';

/** A document: text, bytes, or a stream/iterable of either (a Node Readable qualifies). */
export type RdfInput = string | Uint8Array | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** Parsers get the text in slices of this many UTF-16 units, so one big string still streams. */
const SLICE = 64 * 1024;

function* slices(text: string): Generator<string> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + SLICE, text.length);
    // Never split a surrogate pair.
    if (end < text.length && text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff) end++;
    yield text.slice(i, end);
    i = end;
  }
}

/**
 * The document as UTF-8-decoded text slices, a leading BOM removed. Decoding here (rather
 * than in the parsers) keeps multi-byte characters intact across chunk boundaries. Fails
 * with RdfSyntaxError as soon as more than `maxBytes` bytes have arrived.
 */
export async function* textChunks(input: RdfInput, format: RdfFormat, maxBytes = Infinity): AsyncGenerator<string> {
  const source = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  let first = true;
  for await (const chunk of source) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.byteLength;
    if (bytes > maxBytes) throw new RdfSyntaxError(format, `document larger than the limit of ${maxBytes} bytes`);
    let text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield* slices(text);
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** The whole document as one string (for JSON-LD, which cannot be parsed incrementally). */
export async function readText(input: RdfInput, format: RdfFormat, maxBytes: number): Promise<string> {
  let text = '';
  for await (const chunk of textChunks(input, format, maxBytes)) text += chunk;
  return text;
}
