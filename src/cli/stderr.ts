/**
 * Writes to the process's stderr synchronously, byte for byte (texts are
 * byte strings), so messages are never lost when the process exits right
 * after.
 */
import { writeSync } from "node:fs";

export function writeStderr(text: string): void {
  try {
    writeSync(2, Buffer.from(text, "latin1"));
  } catch {
    // Nowhere left to report to.
  }
}
