/**
 * Lox sources as the front end reads them: byte strings, one UTF-16 unit
 * per byte (see `Scanner`), so columns and string contents are bytes as in
 * the reference implementation.
 */

/** A source from a file's bytes. */
export function decodeSource(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** A source from ordinary (UTF-16) text, encoded as UTF-8 bytes. */
export function sourceFromText(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}
