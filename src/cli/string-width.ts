/**
 * The display width of a string, for the command-line parser's help
 * layout (yargs and cliui import the `string-width` package, which the CLI
 * bundle maps to this module; see scripts/build.mjs). The package builds
 * large Unicode tables when it loads, which cost about 0.1 s at every start
 * of `sa`; Sa's help texts are ASCII, and this counts code points without
 * ANSI escapes, treating East Asian wide and fullwidth characters as two
 * columns.
 */

const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]|\u009b[0-9;]*[A-Za-z]/g;

function isWide(code: number): boolean {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3)
    || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60)
    || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd);
}

export default function stringWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(ANSI_ESCAPE, "")) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x300 && code <= 0x36f) || code === 0x200b) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}
