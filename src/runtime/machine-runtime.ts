/**
 * The host side of compiled code: the `rt` imports of
 * src/runtime/wasm-lib/imports.ts, implemented with the Lox semantics of
 * `LoxOps` over the heap. Used by the Wasm engine and by the IR
 * interpreter when it runs lowered (machine-level) code; the two differ in
 * how a Lox function is called (`MachineBridge.callLox`).
 *
 * Every import that can collect garbage starts with a heap safepoint whose
 * extra roots are its own value arguments. A runtime error keeps the
 * JavaScript stack of the moment it was raised (`wasmStack`), from which the
 * Wasm engine reads the trace; heap exhaustion becomes "Out of memory.".
 */
import { bitsToVal, valToBits } from "./boxing.ts";
import { LoxRuntimeError } from "./errors.ts";
import { type Heap, HeapExhausted, type RtVal } from "./heap.ts";
import { type CallBridge, closureIndex, LoxOps, type ProgramInfo } from "./lox-ops.ts";
import { RuntimeMessage } from "./messages.ts";
import type { Output } from "./output.ts";
import { Type } from "../ir/index.ts";
import { IMPORTS, type ImportName, WasmError } from "./wasm-lib/imports.ts";

export interface MachineBridge {
  /** Calls the Lox function in table slot `index` with (closure, receiver, args...) as bits. */
  callLox(index: number, args: bigint[]): bigint;
}

/** A runtime error with the host stack captured where it was raised. */
export type TracedError = LoxRuntimeError & { wasmStack?: string };

type ImportFn = (...args: never[]) => unknown;

export class MachineRuntime {
  readonly ops: LoxOps;
  /** The tiering policy behind `rt.jitEnter` (none: always the generic code). */
  jitEnter: (func: number, lo: number, hi: number) => number = () => 0;

  constructor(readonly heap: Heap, program: ProgramInfo, output: Output, private readonly bridge: MachineBridge) {
    const callBridge: CallBridge = {
      callClosure: (closure, receiver, args) => {
        const index = closureIndex(heap.closureFunc(closure));
        const bits = [valToBits(BigInt(closure)), valToBits(receiver), ...args.map(valToBits)];
        return bitsToVal(this.bridge.callLox(index, bits));
      },
    };
    this.ops = new LoxOps(heap, program, callBridge, output);
  }

  private readArgs(address: number, count: number): RtVal[] {
    const out = new Array<RtVal>(count);
    for (let i = 0; i < count; i++) out[i] = this.heap.readVal(address + 8 * i);
    return out;
  }

  /** The import object for `rt`. */
  imports(): Record<ImportName, ImportFn> {
    const ops = this.ops;
    const heap = this.heap;
    const v = bitsToVal;
    const b = valToBits;
    const table: Record<ImportName, ImportFn> = {
      error: (code: number, line: number, x: bigint) => {
        switch (code) {
          case WasmError.operandsNumbers: return ops.fail(RuntimeMessage.operandsNumbers, line);
          case WasmError.operandNumber: return ops.fail(RuntimeMessage.operandNumber, line);
          case WasmError.undefinedVariable: return ops.undefinedVariable(Number(x), line);
          case WasmError.stackOverflow: return ops.fail(RuntimeMessage.stackOverflow, line);
          default: throw new Error(`internal error: unknown runtime error code ${code}`);
        }
      },
      add: (a: bigint, c: bigint, line: number) => {
        const [x, y] = [v(a), v(c)];
        heap.safepoint([x, y]);
        return b(ops.add(x, y, line));
      },
      fmod: (x: number, y: number) => x % y,
      callSlow: (callee: bigint, args: number, argc: number, line: number) => {
        const f = v(callee);
        const list = this.readArgs(args, argc);
        heap.safepoint([f, ...list]);
        return b(heap.withRoots([f, ...list], () => ops.callValue(f, list, line)));
      },
      invokeSlow: (receiver: bigint, name: number, cache: number, args: number, argc: number, line: number) => {
        const r = v(receiver);
        const list = this.readArgs(args, argc);
        heap.safepoint([r, ...list]);
        return b(heap.withRoots([r, ...list], () => ops.invoke(r, name, list, line, cache)));
      },
      superInvoke: (receiver: bigint, superclass: bigint, name: number, cache: number, args: number, argc: number, line: number) => {
        const [r, s] = [v(receiver), v(superclass)];
        const list = this.readArgs(args, argc);
        heap.safepoint([r, s, ...list]);
        return b(heap.withRoots([r, ...list], () => ops.superInvoke(r, s, name, list, line, cache)));
      },
      superGet: (receiver: bigint, superclass: bigint, name: number, line: number) => {
        const [r, s] = [v(receiver), v(superclass)];
        heap.safepoint([r, s]);
        return b(ops.superGet(r, s, name, line));
      },
      getSlow: (object: bigint, name: number, cache: number, line: number) => {
        const o = v(object);
        heap.safepoint([o]);
        return b(ops.get(o, name, line, cache));
      },
      setSlow: (object: bigint, name: number, value: bigint, cache: number, line: number) => {
        const [o, x] = [v(object), v(value)];
        heap.safepoint([o, x]);
        ops.set(o, name, x, line, cache);
      },
      indexGetSlow: (array: bigint, index: bigint, line: number) => b(ops.indexGet(v(array), v(index), line)),
      indexSetSlow: (array: bigint, index: bigint, value: bigint, line: number) => {
        ops.indexSet(v(array), v(index), v(value), line);
      },
      cellNew: (value: bigint) => {
        const x = v(value);
        heap.safepoint([x]);
        return b(BigInt(heap.newCell(x)));
      },
      closure: (word: number, cells: number, count: number) => {
        const list = this.readArgs(cells, count);
        heap.safepoint(list);
        return b(BigInt(heap.newClosure(word, list.map((c) => Number(c as bigint)))));
      },
      klass: (name: number, readonly: number, count: number) => {
        const names = this.readArgs(readonly, count).map((n) => Number(n as bigint));
        heap.safepoint();
        return b(ops.klass(name, names));
      },
      inherit: (klass: bigint, superclass: bigint, line: number) => {
        const [k, s] = [v(klass), v(superclass)];
        heap.safepoint([k, s]);
        ops.inherit(k, s, line);
      },
      method: (klass: bigint, name: number, closure: bigint) => {
        const [k, c] = [v(klass), v(closure)];
        heap.safepoint([k, c]);
        ops.method(k, name, c);
      },
      array: (elements: number, count: number) => {
        const list = this.readArgs(elements, count);
        heap.safepoint(list);
        return b(ops.array(list));
      },
      print: (value: bigint) => ops.print(v(value)),
      allocSlow: (type: number, size: number) => {
        heap.safepoint();
        return heap.alloc(type as never, size);
      },
      jitEnter: (func: number, lo: number, hi: number) => this.jitEnter(func, lo, hi),
    };
    for (const name of Object.keys(table) as ImportName[]) table[name] = guarded(table[name] as HostFn, IMPORTS[name].params);
    return table;
  }
}

type HostFn = (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown, g: unknown) => unknown;

/** The most parameters an import has. */
const MAX_IMPORT_PARAMS = 7;

/**
 * An import as Wasm calls it: i32 arguments arrive signed, and addresses
 * above 2 GiB must be read unsigned; a runtime error keeps the host stack
 * of the moment it was raised, for the trace. Written with fixed
 * parameters rather than a rest parameter and a spread call: this runs on
 * every call into the runtime, and the array those would allocate per call
 * showed in profiles of string-heavy programs.
 */
function guarded(f: HostFn, params: readonly Type[]): ImportFn {
  if (params.length > MAX_IMPORT_PARAMS) throw new Error(`internal error: an import with ${params.length} parameters`);
  const [u0, u1, u2, u3, u4, u5, u6] = Array.from({ length: MAX_IMPORT_PARAMS }, (_, i) => params[i] === Type.i32);
  return ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f5: unknown, g: unknown) => {
    try {
      return f(
        u0 ? (a as number) >>> 0 : a, u1 ? (b as number) >>> 0 : b, u2 ? (c as number) >>> 0 : c, u3 ? (d as number) >>> 0 : d,
        u4 ? (e as number) >>> 0 : e, u5 ? (f5 as number) >>> 0 : f5, u6 ? (g as number) >>> 0 : g,
      );
    } catch (caught) {
      throw traced(caught);
    }
  }) as ImportFn;
}

/** A runtime error with the host stack where it was raised; heap exhaustion becomes "Out of memory.". */
function traced(caught: unknown): unknown {
  const e = caught instanceof HeapExhausted ? new LoxRuntimeError(RuntimeMessage.outOfMemory, 0) : caught;
  if (e instanceof LoxRuntimeError && (e as TracedError).wasmStack === undefined) {
    (e as TracedError).wasmStack = new Error().stack ?? "";
  }
  return e;
}
