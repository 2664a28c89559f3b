/**
 * Linking code made at run time: a second module, compiled while the
 * program is loaded, imports the program's memory, table, shadow stack
 * pointer and runtime, and its function, installed in a table slot,
 * replaces a Lox function of the program: the program calls it.
 */
import { describe, expect, it } from "vitest";
import { compile, sourceFromText, StringOutput } from "../../src/api.ts";
import { parseModule } from "../../src/ir/index.ts";
import { compileProgram, instantiateProgram, linkModule, loadModule } from "../../src/jit/index.ts";

const PROGRAM = `var bonus = 100;
fun hook(x) { return x; }
print hook(20);
print hook(1);
`;

// A Lox-level function written directly in IR: x * 2 + bonus (a global of the running program).
const LINKED = `global @bonus

function f0 "hooked"(val, val, val) -> val {
block0(v0: val, v1: val, v2: val):
    v3 = lox.num 2 #1
    v4 = lox.mul v2, v3 #1
    v5 = lox.global.get @bonus #1
    v6 = lox.add v4, v5 #1
    return v6
}
`;

describe("linking a module at run time", () => {
  it.each(["direct", "binaryen"] as const)("installs a new function in the running program's table (%s)", async (backend) => {
    const front = compile(sourceFromText(PROGRAM));
    const compiled = await compileProgram(front, { opt: "O2", backend });
    const { module, meta } = await loadModule(compiled.artifact.binary);
    const stdout = new StringOutput();
    let stderr = "";
    const program = instantiateProgram(module, meta, { stdout, stderr: (t) => (stderr += t) });
    const hookSlot = meta.functions.findIndex((f) => f.name === "hook");
    expect(hookSlot).toBeGreaterThan(0);
    const linked = await linkModule(program, meta, parseModule(LINKED), undefined, backend);
    const hooked = linked.functions.get(0);
    expect(hooked).toBeDefined();
    program.table.set(hookSlot, hooked as (...args: never[]) => unknown);
    expect(program.run()).toBe(0);
    expect(stderr).toBe("");
    expect(stdout.text).toBe("140\n102\n");
  });
});
