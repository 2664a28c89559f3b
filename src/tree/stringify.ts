/**
 * How `print` shows a value in the tree engine: the reference's formats
 * (`<fn f>`, `<native fn>`, `Name instance`, numbers as `%g`) plus arrays as
 * `[a, b]`, with `[...]` for an array that contains itself.
 */
import { formatNumber } from "../runtime/number-format.ts";
import { LoxArray, LoxBoundMethod, LoxClass, LoxFunction, LoxInstance, LoxNative, type Value } from "./values.ts";

export function stringify(value: Value, visiting: Set<LoxArray> | null = null): string {
  if (value === null) return "nil";
  switch (typeof value) {
    case "number": return formatNumber(value);
    case "boolean": return value ? "true" : "false";
    case "string": return value;
    default: break;
  }
  if (value instanceof LoxFunction) return `<fn ${value.name}>`;
  if (value instanceof LoxBoundMethod) return `<fn ${value.method.name}>`;
  if (value instanceof LoxNative) return "<native fn>";
  if (value instanceof LoxClass) return value.name;
  if (value instanceof LoxInstance) return `${value.klass.name} instance`;
  if (value instanceof LoxArray) {
    const seen = visiting ?? new Set<LoxArray>();
    if (seen.has(value)) return "[...]";
    seen.add(value);
    const text = "[" + value.elements.map((e) => stringify(e, seen)).join(", ") + "]";
    seen.delete(value);
    return text;
  }
  return String(value);
}
