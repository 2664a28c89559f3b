/**
 * Linear memory under the heap: an ArrayBuffer that can grow by whole
 * 64 KiB pages. Two implementations: `ArrayBufferMemory` for the IR engine
 * (grows by copying into a bigger buffer) and `WasmMemory` over the
 * `WebAssembly.Memory` a compiled module exports.
 *
 * Invariants: `buffer.byteLength` is a multiple of PAGE_SIZE and at most
 * 4 GiB; growing never changes existing bytes and zeroes the new ones;
 * after a successful `grow` the previous `buffer` must no longer be used
 * (a Wasm memory detaches it), so users re-read `buffer` and rebuild their
 * views. Only the heap grows memory (compiled code never does).
 */
import { MAX_MEMORY_PAGES, PAGE_SIZE } from "./layout.ts";

export interface Memory {
  /** The current bytes (replaced by a successful `grow`). */
  readonly buffer: ArrayBuffer;
  /** Adds `pages` pages of zeroes; returns the old size in pages, or -1 if memory cannot grow that much. */
  grow(pages: number): number;
  /** The most pages it may ever have. */
  readonly maxPages: number;
}

/** Memory in an ArrayBuffer that grows by copying; `maxPages` bounds it (for tests of exhaustion). */
export class ArrayBufferMemory implements Memory {
  private current: ArrayBuffer;

  constructor(initialBytes = 0, readonly maxPages = MAX_MEMORY_PAGES) {
    const pages = Math.ceil(initialBytes / PAGE_SIZE);
    if (pages > maxPages) throw new RangeError(`initial memory of ${pages} pages exceeds the maximum of ${maxPages}`);
    this.current = new ArrayBuffer(pages * PAGE_SIZE);
  }

  get buffer(): ArrayBuffer {
    return this.current;
  }

  grow(pages: number): number {
    const old = this.current.byteLength / PAGE_SIZE;
    if (!Number.isInteger(pages) || pages < 0 || old + pages > this.maxPages) return -1;
    if (pages === 0) return old;
    let next: ArrayBuffer;
    try {
      next = new ArrayBuffer((old + pages) * PAGE_SIZE);
    } catch (e) {
      if (e instanceof RangeError) return -1; // the host cannot allocate that much
      throw e;
    }
    new Uint8Array(next).set(new Uint8Array(this.current));
    this.current = next;
    return old;
  }
}

/**
 * What `WasmMemory` uses of a `WebAssembly.Memory` (the project's
 * TypeScript libraries do not declare the WebAssembly namespace).
 */
export interface WebAssemblyMemoryLike {
  readonly buffer: ArrayBuffer;
  /** Throws a RangeError when the memory cannot grow. */
  grow(pages: number): number;
}

/** The memory of a WebAssembly instance; `maxPages` may set a limit below the module's own. */
export class WasmMemory implements Memory {
  constructor(readonly memory: WebAssemblyMemoryLike, readonly maxPages = MAX_MEMORY_PAGES) {}

  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  grow(pages: number): number {
    if (this.memory.buffer.byteLength / PAGE_SIZE + pages > this.maxPages) return -1;
    try {
      return this.memory.grow(pages);
    } catch (e) {
      if (e instanceof RangeError) return -1;
      throw e;
    }
  }
}

/** A piece of an image: `bytes` go at `offset`. */
export interface DataSegment {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** Initial contents of a memory of `size` bytes that starts zeroed: `segments` are the non-zero parts. */
export interface MemoryImage {
  readonly size: number;
  readonly segments: readonly DataSegment[];
}

/** An image with nothing in it (a module that shares another's memory). */
export const EMPTY_IMAGE: MemoryImage = { size: 0, segments: [] };

/**
 * The non-zero parts of `image`, which goes at `base` in a memory that
 * starts zeroed, as data segments: runs of zeroes of at least `minGap`
 * bytes are left out.
 */
export function dataSegments(image: Uint8Array, base = 0, minGap = 64): DataSegment[] {
  const segments: DataSegment[] = [];
  // Whole zero chunks are found with a native compare (images are megabytes, mostly zero);
  // a zero chunk is longer than any gap, so segments are built within runs of non-zero chunks.
  const chunk = 4096;
  const zeros = Buffer.alloc(chunk);
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.length);
  let c = 0;
  while (c < image.length) {
    const end = Math.min(image.length, c + chunk);
    if (bytes.compare(zeros, 0, end - c, c, end) === 0) {
      c = end;
      continue;
    }
    let runEnd = end;
    while (runEnd < image.length) {
      const next = Math.min(image.length, runEnd + chunk);
      if (bytes.compare(zeros, 0, next - runEnd, runEnd, next) === 0) break;
      runEnd = next;
    }
    segmentsOf(image, base, c, runEnd, minGap, segments);
    c = runEnd;
  }
  return segments;
}

/** Segments of image[from, to), split at runs of at least `minGap` zeroes. */
function segmentsOf(image: Uint8Array, base: number, from: number, to: number, minGap: number, out: DataSegment[]): void {
  let i = from;
  while (i < to) {
    while (i < to && image[i] === 0) i++;
    if (i === to) return;
    const start = i;
    let end = i;
    while (i < to) {
      if (image[i] !== 0) {
        end = ++i;
        continue;
      }
      let z = i;
      while (z < to && image[z] === 0 && z - i < minGap) z++;
      if (z === to || z - i >= minGap) break;
      i = z;
    }
    out.push({ offset: base + start, bytes: image.subarray(start, end) });
    i = end;
  }
}
