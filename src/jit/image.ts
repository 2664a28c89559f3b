/**
 * The initial heap image of a compiled program: a heap built at compile time
 * with the allocator the program will run with, holding every string the
 * code names (symbols and class names, interned), the globals array (all
 * undefined) and the native function objects of the natives the program
 * names. Compiled code embeds these objects' addresses; the backend embeds
 * the image as the memory's initial contents (docs/wasm-engine.md).
 */
import type { ClassId, GlobalId, Module, SymbolId } from "../ir/index.ts";
import type { ImageAddresses } from "../passes/lower-lox.ts";
import { Heap } from "../runtime/heap.ts";
import type { MemoryImage } from "../runtime/memory.ts";
import { NATIVE_INDEX } from "../runtime/native-specs.ts";

export interface HeapImage {
  readonly heap: Heap;
  readonly addresses: ImageAddresses;
  /** Memory [0, bump) to load into the module. */
  readonly memory: MemoryImage;
  /** Addresses of the interned strings in the image (for `Heap.attach`). */
  readonly strings: readonly number[];
}

export function buildImage(module: Module): HeapImage {
  const heap = Heap.create();
  const symbols: number[] = [];
  for (let s = 0; s < module.symbolCount; s++) symbols.push(heap.intern(module.symbolText(s as SymbolId)));
  const classNames = module.classes.map((c) => heap.intern(c.name));
  heap.initGlobals(module.globalCount);
  for (let g = 0; g < module.globalCount; g++) {
    const index = NATIVE_INDEX.get(module.globalName(g as GlobalId));
    if (index !== undefined) heap.writeVal(heap.globalAddr(g), BigInt(heap.newNative(index)));
  }
  heap.markImageEnd();
  const addresses: ImageAddresses = {
    symbol: (id: SymbolId) => symbols[id] ?? heap.intern(module.symbolText(id)),
    className: (id: ClassId) => classNames[id] as number,
    globalSlot: (id: GlobalId) => heap.globalAddr(id),
  };
  return { heap, addresses, memory: heap.image(), strings: heap.imageStrings() };
}
