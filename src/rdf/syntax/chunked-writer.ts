import { Transform, type TransformCallback } from 'node:stream';

/** Output is pushed in pieces of about this many UTF-16 units: few, large writes to the socket. */
const CHUNK = 16 * 1024;

/**
 * Base of all writers: an object-mode Writable side (one item per write, or an array of
 * items as one write: a stream step costs more than writing a quad, so the catalog
 * export hands over a dataset's quads at once) and a byte Readable side. Subclasses
 * append text with `out`; text is pushed once a chunk is full and at the end, so memory
 * holds at most one chunk plus the writer's own small state.
 */
export abstract class ChunkedWriter<T> extends Transform {
  private pending = '';
  /** Whether an array written is a batch of items (quads never are arrays; JSON-LD nodes must not be). */
  protected readonly batches: boolean = true;

  constructor() {
    super({ writableObjectMode: true, readableObjectMode: false });
  }

  /** Handles one item; may throw (the stream then errors). */
  protected abstract writeItem(item: T): void;
  /** Handles an array written at once; by default item by item. */
  protected writeBatch(items: readonly T[]): void {
    for (const one of items) this.writeItem(one);
  }
  /** Writes whatever closes the document. */
  protected abstract finish(): void;

  protected out(text: string): void {
    this.pending += text;
    if (this.pending.length >= CHUNK) {
      this.push(this.pending, 'utf8');
      this.pending = '';
    }
  }

  override _transform(item: T | readonly T[], _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (this.batches && Array.isArray(item)) this.writeBatch(item as readonly T[]);
      else this.writeItem(item as T);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.finish();
      if (this.pending) this.push(this.pending, 'utf8');
      this.pending = '';
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}
