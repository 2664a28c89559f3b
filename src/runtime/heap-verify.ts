/**
 * The heap verifier: checks the invariants of `heap-space.ts` and `gc.ts`
 * on a heap at rest (not during a collection) and returns the problems it
 * finds (an empty list for a sound heap). For tests and debugging.
 *
 * It walks every run from HEAP_START to `bump` and checks page headers,
 * every object (valid type tag, no mark left, fits its cell, every
 * reference it holds — as the GC traces them — points at an allocated
 * object of a plausible type, never at a free cell or outside the heap),
 * every free cell (zero but for its header, on the free list of its class
 * exactly once), the free lists (only free cells of the right class, no
 * cycles), the free-run list, the globals and the inline-cache keys.
 */
import type { HeapSpace } from "./heap-space.ts";
import {
  Arr, Bound, Cell, Closure, Flag, FREE_LISTS, freeListHead, hashBytes, Header, HEAP_START, IC_REGION_END,
  IC_REGION_START, IcCell, Instance, Klass, MAX_MEMORY_PAGES, Native, OBJECT_HI, ObjType, PAGE_FREE, PAGE_SIZE, PageHeader,
  Raw, Roots, SIZE_CLASSES, Shape, Str, Table, cellsPerPage,
} from "./layout.ts";
import { assertNever } from "../support/assert.ts";

const MAX_PROBLEMS = 100;
const OBJECT_TAG = OBJECT_HI >>> 0;
const T = ObjType;
/** What a val stored in the heap may reference. */
const VALUE_TYPES: readonly number[] = [T.string, T.array, T.closure, T.cell, T.klass, T.instance, T.boundMethod, T.native, T.shape];

const VALID_TYPES: ReadonlySet<number> = new Set(Object.values(ObjType));

export function verifyHeap(heap: HeapSpace): string[] {
  return new Verifier(heap).run();
}

class Verifier {
  private readonly problems: string[] = [];
  private readonly w: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly bump: number;
  /** Page index -> first page of its run (-1 where the walk found none). */
  private runOf = new Float64Array(0);
  private readonly freeCells = new Set<number>();
  private readonly freeRuns = new Set<number>();

  constructor(private readonly heap: HeapSpace) {
    this.w = heap.words;
    this.bytes = heap.bytes;
    this.bump = heap.bump;
  }

  private problem(text: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(text);
  }

  run(): string[] {
    const size = this.bytes.length;
    if (this.bump < HEAP_START || this.bump % PAGE_SIZE !== 0 || this.bump > size) {
      this.problem(`bump ${this.bump} is not a page address in [HEAP_START, memory size ${size}]`);
      return this.problems;
    }
    const imageEnd = this.w[Roots.imageEnd >>> 2] as number;
    if (imageEnd < HEAP_START || imageEnd > this.bump || imageEnd % PAGE_SIZE !== 0) this.problem(`imageEnd ${imageEnd} out of range`);
    if (!this.walkRuns()) return this.problems;
    this.forEachObject((obj, limit) => this.checkObject(obj, limit));
    this.checkFreeLists();
    this.checkFreeRuns();
    const globals = this.w[Roots.globals >>> 2] as number;
    if (globals !== 0 && this.ref("globals", globals, [T.raw], false)) {
      const count = (this.w[(globals + Raw.payloadSize) >>> 2] as number) >> 3;
      for (let i = 0; i < count; i++) this.val(`global ${i}`, globals + Raw.payload + 8 * i);
    }
    for (let cell = IC_REGION_START; cell < IC_REGION_END; cell += IcCell.size) {
      const key = this.w[(cell + IcCell.key) >>> 2] as number;
      if (key !== 0 && this.typeAt(key) < 0) this.problem(`inline-cache cell ${cell}: key ${key} is not an object`);
    }
    return this.problems;
  }

  /** Checks the page headers and fills `runOf`; false if the walk cannot go on. */
  private walkRuns(): boolean {
    this.runOf = new Float64Array((this.bump - HEAP_START) / PAGE_SIZE).fill(-1);
    for (let run = HEAP_START; run < this.bump;) {
      const cellSize = this.w[(run + PageHeader.cellSize) >>> 2] as number;
      const pages = this.w[(run + PageHeader.pages) >>> 2] as number;
      const state = this.w[(run + PageHeader.state) >>> 2] as number;
      if (pages === 0 || pages > MAX_MEMORY_PAGES || run + pages * PAGE_SIZE > this.bump) {
        this.problem(`page ${run}: bad page count ${pages}`);
        return false;
      }
      if (state !== 0 && state !== PAGE_FREE) this.problem(`page ${run}: bad state ${state}`);
      if (state === PAGE_FREE) {
        if (cellSize !== 0) this.problem(`free run ${run}: cell size ${cellSize}`);
        this.freeRuns.add(run);
      } else if (cellSize !== 0) {
        if (!SIZE_CLASSES.includes(cellSize)) this.problem(`page ${run}: cell size ${cellSize} is no size class`);
        if (pages !== 1) this.problem(`small page ${run}: ${pages} pages`);
      }
      const first = (run - HEAP_START) / PAGE_SIZE;
      this.runOf.fill(run, first, first + pages);
      run += pages * PAGE_SIZE;
    }
    return true;
  }

  /** The type of the allocated object at `addr`, or -1 (not an object start, a free cell, a free run). */
  private typeAt(addr: number): number {
    if (addr < HEAP_START || addr >= this.bump || (addr & 7) !== 0) return -1;
    const run = this.runOf[(addr - HEAP_START) / PAGE_SIZE | 0] as number;
    if (run < 0 || this.freeRuns.has(run)) return -1;
    const cellSize = this.w[(run + PageHeader.cellSize) >>> 2] as number;
    const offset = addr - run - PageHeader.size;
    if (cellSize === 0 ? offset !== 0 : offset < 0 || offset % cellSize !== 0 || offset / cellSize >= cellsPerPage(cellSize)) return -1;
    const type = this.bytes[addr] as number;
    return type === ObjType.free ? -1 : type;
  }

  /** Calls `f` for every allocated object with the bytes its cell or run offers; records free cells. */
  private forEachObject(f: (obj: number, limit: number) => void): void {
    for (let run = HEAP_START; run < this.bump;) {
      const cellSize = this.w[(run + PageHeader.cellSize) >>> 2] as number;
      const pages = this.w[(run + PageHeader.pages) >>> 2] as number;
      if (this.freeRuns.has(run)) {
        // nothing to check inside
      } else if (cellSize === 0) {
        f(run + PageHeader.size, pages * PAGE_SIZE - PageHeader.size);
      } else if (SIZE_CLASSES.includes(cellSize)) {
        const count = cellsPerPage(cellSize);
        for (let i = 0, cell = run + PageHeader.size; i < count; i++, cell += cellSize) {
          if (this.bytes[cell] === ObjType.free) this.checkFreeCell(cell, cellSize);
          else f(cell, cellSize);
        }
      }
      run += pages * PAGE_SIZE;
    }
  }

  private checkFreeCell(cell: number, cellSize: number): void {
    this.freeCells.add(cell);
    if (this.bytes[cell + Header.flags] !== 0 || this.heap.u16(cell + Header.small) !== 0) this.problem(`free cell ${cell}: header not clear`);
    for (let k = (cell + 8) >>> 2; k < (cell + cellSize) >>> 2; k++) {
      if (this.w[k] !== 0) {
        this.problem(`free cell ${cell}: payload not zero at ${k << 2}`);
        return;
      }
    }
  }

  /** Checks a reference; true if it is a non-null object of an allowed type. */
  private ref(what: string, addr: number, allowed: readonly number[], nullable: boolean): boolean {
    if (addr === 0) {
      if (!nullable) this.problem(`${what}: null reference`);
      return false;
    }
    const type = this.typeAt(addr);
    if (type < 0) this.problem(`${what}: ${addr} is not an allocated object`);
    else if (!allowed.includes(type)) this.problem(`${what}: ${addr} has type ${type}`);
    else return true;
    return false;
  }

  private val(what: string, at: number): void {
    if (this.w[(at + 4) >>> 2] === OBJECT_TAG) this.ref(what, this.w[at >>> 2] as number, VALUE_TYPES, false);
  }

  /** Checks raw storage of at least `bytes` payload bytes. */
  private raw(what: string, raw: number, bytes: number): boolean {
    if (!this.ref(what, raw, [T.raw], false)) return false;
    const payload = this.w[(raw + Raw.payloadSize) >>> 2] as number;
    if (payload < bytes) this.problem(`${what}: raw ${raw} holds ${payload} bytes, needs ${bytes}`);
    return payload >= bytes;
  }

  private checkObject(obj: number, limit: number): void {
    const w = this.w;
    const at = (offset: number): number => w[(obj + offset) >>> 2] as number;
    const name = `object ${obj}`;
    if ((this.bytes[obj + Header.flags] as number) & Flag.mark) this.problem(`${name}: mark bit left set`);
    const tag = this.bytes[obj + Header.type] as number;
    if (!VALID_TYPES.has(tag)) {
      this.problem(`${name}: bad type tag ${tag}`);
      return;
    }
    const type = tag as ObjType;
    let size: number;
    switch (type) {
      case ObjType.free:
        return;
      case ObjType.string: {
        const length = at(Str.length);
        size = Str.bytes + length;
        if (size <= limit) {
          let text = "";
          for (let i = 0; i < length; i++) text += String.fromCharCode(this.bytes[obj + Str.bytes + i] as number);
          if (hashBytes(text) !== at(Str.hash)) this.problem(`${name}: string hash does not match its bytes`);
        }
        break;
      }
      case ObjType.array: {
        size = Arr.size;
        const length = at(Arr.length);
        const capacity = at(Arr.capacity);
        if (length > capacity) this.problem(`${name}: array length ${length} > capacity ${capacity}`);
        if (this.raw(`${name} elements`, at(Arr.elements), capacity * 8)) {
          for (let i = 0; i < Math.min(length, capacity); i++) this.val(`${name}[${i}]`, at(Arr.elements) + Raw.payload + 8 * i);
        }
        break;
      }
      case ObjType.closure: {
        const count = this.heap.u16(obj + Closure.cellCount);
        size = Closure.cells + 4 * count;
        if (size <= limit) for (let i = 0; i < count; i++) this.ref(`${name} cell ${i}`, at(Closure.cells + 4 * i), [T.cell], false);
        break;
      }
      case ObjType.cell:
        size = Cell.size;
        this.val(`${name} value`, obj + Cell.value);
        break;
      case ObjType.klass:
        size = Klass.size;
        this.ref(`${name} name`, at(Klass.name), [T.string], false);
        this.ref(`${name} methods`, at(Klass.methods), [T.table], false);
        this.ref(`${name} init`, at(Klass.init), [T.closure], true);
        this.ref(`${name} root shape`, at(Klass.rootShape), [T.shape], false);
        this.ref(`${name} readonly fields`, at(Klass.readonly), [T.table], true);
        break;
      case ObjType.instance: {
        size = Instance.size;
        this.ref(`${name} class`, at(Instance.klass), [T.klass], false);
        if (this.ref(`${name} shape`, at(Instance.shape), [T.shape], false)) {
          const count = w[(at(Instance.shape) + Shape.count) >>> 2] as number;
          const fields = at(Instance.fields);
          if (count > 0 && this.raw(`${name} fields`, fields, count * 8)) {
            for (let i = 0; i < count; i++) this.val(`${name} field ${i}`, fields + Raw.payload + 8 * i);
          } else if (count === 0) this.ref(`${name} fields`, fields, [T.raw], true);
        }
        break;
      }
      case ObjType.boundMethod:
        size = Bound.size;
        this.val(`${name} receiver`, obj + Bound.receiver);
        this.ref(`${name} closure`, at(Bound.closure), [T.closure], false);
        break;
      case ObjType.native:
        size = Native.size;
        break;
      case ObjType.shape: {
        size = Shape.size;
        const parent = at(Shape.parent);
        if (this.ref(`${name} parent`, parent, [T.shape], true)) {
          const expected = (w[(parent + Shape.count) >>> 2] as number) + 1;
          if (at(Shape.count) !== expected) this.problem(`${name}: field count ${at(Shape.count)}, parent's + 1 is ${expected}`);
        }
        this.ref(`${name} name`, at(Shape.name), [T.string], parent === 0);
        this.ref(`${name} transitions`, at(Shape.transitions), [T.table], true);
        break;
      }
      case ObjType.raw:
        size = Raw.payload + at(Raw.payloadSize);
        break;
      case ObjType.table: {
        size = Table.size;
        const capacity = at(Table.capacity);
        if (capacity === 0 || (capacity & (capacity - 1)) !== 0) this.problem(`${name}: table capacity ${capacity}`);
        if (this.raw(`${name} entries`, at(Table.entries), capacity * Table.entrySize)) {
          let count = 0;
          for (let i = 0, e = at(Table.entries) + Raw.payload; i < capacity; i++, e += Table.entrySize) {
            const key = w[(e + Table.entryKey) >>> 2] as number;
            if (key === 0) continue;
            count++;
            this.ref(`${name} key ${i}`, key, [T.string], false);
            this.val(`${name} value ${i}`, e + Table.entryValue);
          }
          if (count !== at(Table.count)) this.problem(`${name}: table count ${at(Table.count)}, ${count} entries`);
        }
        break;
      }
      default:
        return assertNever(type, "object type");
    }
    if (size > limit) this.problem(`${name}: ${size} bytes of type ${type} exceed its ${limit}-byte cell`);
  }

  private checkFreeLists(): void {
    const onList = new Set<number>();
    for (let cls = 0; cls < FREE_LISTS; cls++) {
      const cellSize = SIZE_CLASSES[cls];
      let cell = this.w[freeListHead(cls) >>> 2] as number;
      if (cellSize === undefined) {
        if (cell !== 0) this.problem(`free list ${cls} of no size class is not empty`);
        continue;
      }
      for (; cell !== 0; cell = this.w[(cell + Header.word) >>> 2] as number) {
        if (onList.has(cell)) {
          this.problem(`free list ${cls}: ${cell} is there twice (a cycle?)`);
          break;
        }
        onList.add(cell);
        const run = cell >= HEAP_START && cell < this.bump ? (this.runOf[(cell - HEAP_START) / PAGE_SIZE | 0] as number) : -1;
        if (!this.freeCells.has(cell)) {
          this.problem(`free list ${cls}: ${cell} is not a free cell`);
          break;
        }
        if (this.w[(run + PageHeader.cellSize) >>> 2] !== cellSize) this.problem(`free list ${cls}: ${cell} is in a page of another class`);
      }
    }
    let missing = 0;
    for (const cell of this.freeCells) if (!onList.has(cell)) missing++;
    if (missing > 0) this.problem(`${missing} free cells are on no free list`);
  }

  private checkFreeRuns(): void {
    const seen = new Set<number>();
    for (let run = this.w[Roots.largeFree >>> 2] as number; run !== 0; run = this.w[(run + PageHeader.next) >>> 2] as number) {
      if (seen.has(run)) {
        this.problem(`free-run list: ${run} is there twice (a cycle?)`);
        return;
      }
      seen.add(run);
      if (!this.freeRuns.has(run)) {
        this.problem(`free-run list: ${run} is not a free run`);
        return;
      }
    }
    if (seen.size !== this.freeRuns.size) this.problem(`${this.freeRuns.size - seen.size} free runs are not on the free-run list`);
  }
}
