/**
 * Program output. Lox strings are byte strings (one UTF-16 unit per byte),
 * so output converts them back to bytes with latin1. `FdOutput` buffers and
 * writes synchronously to a file descriptor (works in worker threads too);
 * callers flush before writing anything to stderr so the interleaving is
 * the reference's. `StringOutput` collects text for tests.
 */
import { writeSync } from "node:fs";

export interface Output {
  write(text: string): void;
  flush(): void;
}

const FLUSH_AT = 1 << 16;

export class FdOutput implements Output {
  private chunks: string[] = [];
  private size = 0;
  /** Set when the reader went away (EPIPE); later output is dropped. */
  closed = false;

  constructor(private readonly fd: number) {}

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.size === 0 && this.chunks.length === 0) return;
    const bytes = Buffer.from(this.chunks.join(""), "latin1");
    this.chunks = [];
    this.size = 0;
    if (this.closed) return;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") continue;
        if (code === "EPIPE") {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
  }
}

export class StringOutput implements Output {
  text = "";
  write(text: string): void {
    this.text += text;
  }
  flush(): void {}
}
