import { Transform, type TransformCallback } from 'node:stream';

/** Output is pushed in pieces of about this many UTF-16 units: few, large writes to the socket. */
const CHUNK = 16 * 1024;

/** Room the next document of each writer class starts with (set by `render` from the documents before). */
const sizeHint = new WeakMap<object, number>();

/** The used bytes in a buffer of `size` of their own (not Node's shared pool, so it can move to another thread). */
function copyOut(bytes: { buf: Buffer; used: number }, size: number): Buffer {
  const to = Buffer.allocUnsafeSlow(size);
  bytes.buf.copy(to, 0, 0, bytes.used);
  return to;
}

/**
 * Base of all writers: an object-mode Writable side (one item per write, or an array of
 * items as one write: a stream step costs more than writing a quad, so the catalog
 * export hands over a dataset's quads at once) and a byte Readable side. Subclasses
 * append text with `out`; text is pushed once a chunk is full and at the end, so memory
 * holds at most one chunk plus the writer's own small state.
 */
export abstract class ChunkedWriter<T> extends Transform {
  private pending = '';
  /** The bytes of a document made by `render` (no stream then): chunks are encoded into it in place. */
  private bytes: { buf: Buffer; used: number } | undefined;
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
      if (this.bytes) this.encodePending(this.bytes);
      else this.push(this.pending, 'utf8');
      this.pending = '';
    }
  }

  /**
   * Encodes the pending text at the end of `bytes`, growing it when the text might not fit.
   * A page's chunks encoded each into a Buffer of its own and concatenated at the end cost
   * an allocation per chunk and a second copy of the page.
   */
  private encodePending(bytes: { buf: Buffer; used: number }): void {
    const most = this.pending.length * 3; // UTF-8 bytes of a UTF-16 unit, at most
    if (bytes.used + most > bytes.buf.length) bytes.buf = copyOut(bytes, Math.max(bytes.buf.length * 2, bytes.used + most));
    bytes.used += bytes.buf.write(this.pending, bytes.used, 'utf8');
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
   * The bytes are a view of an ArrayBuffer of their own (never Node's shared
   * pool), so they can be moved to another thread.
   */
  async render(items: Iterable<T | readonly T[]>, slice = 50): Promise<Buffer> {
    const bytes = { buf: Buffer.allocUnsafeSlow(sizeHint.get(this.constructor) ?? 4 * CHUNK), used: 0 };
    this.bytes = bytes;
    try {
      let n = 0;
      for (const item of items) {
        this.handle(item);
        if (++n % slice === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      this.finish();
      this.encodePending(bytes);
    } finally {
      this.pending = '';
      this.bytes = undefined;
    }
    // The next document of this writer starts with room for the larger of this one and (fading)
    // those before it: pages are alike, and a single dataset between them does not shrink the room.
    const hint = sizeHint.get(this.constructor) ?? 0;
    sizeHint.set(this.constructor, Math.ceil(Math.max(bytes.used * 1.25, hint * 0.9)));
    // Room never written is not resident; a small document still gets a buffer its own size.
    return bytes.used * 2 < bytes.buf.length ? copyOut(bytes, bytes.used) : bytes.buf.subarray(0, bytes.used);
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
