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
  /** Full chunks of a document made by `render` (no stream then), encoded once each. */
  private parts: Buffer[] | undefined;
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
      if (this.parts) this.parts.push(Buffer.from(this.pending, 'utf8'));
      else this.push(this.pending, 'utf8');
      this.pending = '';
    }
  }

  private handle(item: T | readonly T[]): void {
    if (this.batches && Array.isArray(item)) this.writeBatch(item as readonly T[]);
    else this.writeItem(item as T);
  }

  /**
   * The whole document of `items` as UTF-8 bytes, without the stream: for a
   * bounded document (one page of the catalog), where a Transform's per-chunk
   * steps, the chunks' Buffer copies and their garbage cost more than the
   * writing. Gives the event loop a turn every `slice` items. Throws what a
   * writer throws, before any byte is out. Use a fresh writer, not piped.
   */
  async render(items: Iterable<T | readonly T[]>, slice = 50): Promise<Buffer> {
    this.parts = [];
    let n = 0;
    for (const item of items) {
      this.handle(item);
      if (++n % slice === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.finish();
    this.parts.push(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
    const bytes = Buffer.concat(this.parts);
    this.parts = undefined;
    return bytes;
  }

  override _transform(item: T | readonly T[], _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.handle(item);
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
