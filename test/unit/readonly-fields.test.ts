/**
 * What the partial evaluator asks of the heap about `@readonly` fields
 * (src/runtime/readonly-fields.ts), on the heap of the IR engine and on a
 * Wasm program's heap after it ran: whether a field is readonly for an
 * instance's class (inherited ones included) and whether the instance has
 * finished construction; and the readonly set's layout survives the GC.
 */
import { describe, expect, it } from "vitest";
import { compile, sourceFromText, StringOutput } from "../../src/api.ts";
import type { GlobalId } from "../../src/ir/index.ts";
import { compileProgram, instantiateProgram, loadModule } from "../../src/jit/index.ts";
import { lowerProgram } from "../../src/lower/index.ts";
import { LoxRuntimeError } from "../../src/runtime/errors.ts";
import { Heap } from "../../src/runtime/heap.ts";
import { IrHost } from "../../src/runtime/ir-host.ts";
import { ObjType } from "../../src/runtime/layout.ts";
import { constantReadonlyField, isConstructed, readonlyFieldNames, readonlyFieldState } from "../../src/runtime/readonly-fields.ts";

const PROGRAM = `
var building;
@readonly(code, consts)
class Chunk {
  init(code) {
    this.code = code;
    this.consts = nil;
    this.runs = 0;
  }
}
@readonly(name)
class Named < Chunk {
  init(code, name) {
    super.init(code);
    this.name = name;
  }
}
class Broken < Chunk {
  init() {
    this.code = 1;
    this.consts = 2;
    building = this;
    error("stop");
  }
}
var chunk = Chunk(freeze([1, 2]));
var named = Named(3, "n");
Broken();
`;

type Lookup = (name: string) => bigint;

function checks(heap: Heap, global: Lookup): void {
  const chunk = Number(global("chunk"));
  const named = Number(global("named"));
  const building = Number(global("building"));
  expect(heap.type(chunk)).toBe(ObjType.instance);
  expect(readonlyFieldState(heap, chunk, "code")).toEqual({ readonly: true, constructed: true });
  expect(readonlyFieldState(heap, chunk, "runs")).toEqual({ readonly: false, constructed: true });
  expect(readonlyFieldState(heap, chunk, "name")).toEqual({ readonly: false, constructed: true });
  expect(readonlyFieldState(heap, chunk, "no field has this name")).toEqual({ readonly: false, constructed: true });
  expect(readonlyFieldState(heap, chunk, heap.internedString("consts") as number)).toEqual({ readonly: true, constructed: true });
  expect(readonlyFieldState(heap, named, "code").readonly).toBe(true);
  expect(readonlyFieldState(heap, named, "name").readonly).toBe(true);
  expect(readonlyFieldState(heap, building, "code")).toEqual({ readonly: true, constructed: false });
  expect(isConstructed(heap, building)).toBe(false);

  const code = constantReadonlyField(heap, chunk, "code");
  expect(typeof code).toBe("bigint");
  expect(heap.type(Number(code))).toBe(ObjType.array);
  expect(constantReadonlyField(heap, chunk, "consts")).toBe(null);
  expect(constantReadonlyField(heap, named, "name")).toBe(BigInt(heap.internedString("n") as number));
  expect(constantReadonlyField(heap, chunk, "runs")).toBeUndefined();
  expect(constantReadonlyField(heap, building, "code")).toBeUndefined();
}

describe("readonly fields on the heap", () => {
  it("reads the names of a class's @readonly attributes", () => {
    expect(readonlyFieldNames([{ name: "pure", args: [] }, { name: "readonly", args: ["a", "b"] }])).toEqual(["a", "b"]);
  });

  it("answers for the IR engine's heap", () => {
    const front = compile(sourceFromText(PROGRAM));
    expect(front.diagnostics).toEqual([]);
    const module = lowerProgram(front);
    const heap = Heap.create();
    const host = new IrHost(module, heap, new StringOutput());
    expect(() => host.runScript()).toThrow(LoxRuntimeError);
    checks(heap, (name) => heap.readVal(heap.globalAddr(module.findGlobal(name) as GlobalId)) as bigint);
  });

  it.each([false, true])("answers for a Wasm program's heap (gc stress: %s)", async (gcStress) => {
    const front = compile(sourceFromText(PROGRAM));
    const compiled = await compileProgram(front, { opt: "O2", gcStress });
    const { module, meta } = await loadModule(compiled.artifact.binary);
    let stderr = "";
    const program = instantiateProgram(module, meta, { stdout: new StringOutput(), stderr: (t) => (stderr += t), gcStress, verifyHeap: gcStress });
    expect(program.run()).toBe(70);
    expect(stderr.startsWith("stop\n")).toBe(true);
    const heap = program.heap;
    checks(heap, (name) => heap.readVal(heap.globalAddr(meta.globals.indexOf(name))) as bigint);
  });
});
