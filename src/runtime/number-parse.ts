/**
 * `parseNumber`: a string to a number, or nil. Accepts exactly the Lox
 * number literal syntax with an optional leading minus sign (`-12`,
 * `3.25`), no surrounding spaces, no exponent; anything else gives nil.
 * Shared by every engine.
 */

const LOX_NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

export function parseLoxNumber(text: string): number | null {
  return LOX_NUMBER.test(text) ? Number(text) : null;
}
