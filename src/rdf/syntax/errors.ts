import type { RdfFormat } from './media-types.js';

/**
 * The one error every parser rejects with, whatever library sits underneath; the
 * writers use it too, for quads a format cannot express.
 */
export class RdfSyntaxError extends Error {
  override readonly name = 'RdfSyntaxError';

  constructor(
    readonly format: RdfFormat,
    message: string,
    /** 1-based line in the input, where the underlying parser reports one. */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(line === undefined ? `${format}: ${message}` : `${format}, line ${line}: ${message}`, options);
  }
}

interface WithContextLine {
  context?: { line?: unknown };
}

// Position prefixes the libraries put in front of their messages:
// rdfxml-streaming-parser "Line 4 column 57: …", saxes "4:57: …" (or "file:4:57: …").
const RDFXML_POSITION = /^Line (\d+) column \d+: /;
const SAXES_POSITION = /^(?:[^\s:]*:)?(\d+):\d+: /;

/** Wraps whatever a library threw into an RdfSyntaxError, keeping the line number if it has one. */
export function toSyntaxError(error: unknown, format: RdfFormat): RdfSyntaxError {
  if (error instanceof RdfSyntaxError) return error;
  if (!(error instanceof Error)) return new RdfSyntaxError(format, String(error));
  let message = error.message;
  let line: number | undefined;
  const n3Line = (error as WithContextLine).context?.line; // N3.js: "Unexpected … on line 3."
  if (typeof n3Line === 'number') {
    line = n3Line;
    message = message.replace(/ on line \d+\.?$/, '');
  }
  for (const pattern of [RDFXML_POSITION, SAXES_POSITION]) {
    const m = pattern.exec(message);
    if (m) {
      line ??= Number(m[1]);
      message = message.slice(m[0].length);
    }
  }
  return new RdfSyntaxError(format, message, line, { cause: error });
}
