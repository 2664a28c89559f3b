/** The CLI's display-width function that replaces `string-width` in the bundle (help layout). */
import { describe, expect, it } from "vitest";
import stringWidth from "../../src/cli/string-width.ts";

describe("stringWidth", () => {
  it("counts columns, not UTF-16 units or escapes", () => {
    expect(stringWidth("sa run <file>")).toBe(13);
    expect(stringWidth("\u001b[1mbold\u001b[22m")).toBe(4);
    expect(stringWidth("\u65e5\u672c")).toBe(4);
    expect(stringWidth("e\u0301")).toBe(1);
    expect(stringWidth("\u{1F600}")).toBe(2);
    expect(stringWidth("")).toBe(0);
  });
});
