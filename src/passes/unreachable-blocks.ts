/**
 * eliminate-unreachable-blocks: removes blocks that no path from the entry
 * reaches (code after `return`, branches folded away). Their outgoing edges
 * disappear with them, so the arguments they passed to reachable blocks go
 * too. Lowering runs it as cleanup; simplify-cfg runs it after folding
 * branches.
 */
import { type FunctionBody, reachableBlocks } from "../ir/index.ts";
import type { Pass } from "./pass.ts";

export function eliminateUnreachableBlocks(body: FunctionBody): boolean {
  const reachable = reachableBlocks(body);
  let changed = false;
  for (const b of body.blocks()) {
    if (!reachable[b]) {
      body.removeBlock(b);
      changed = true;
    }
  }
  return changed;
}

export const eliminateUnreachableBlocksPass: Pass = {
  name: "eliminate-unreachable-blocks",
  description: "remove blocks that cannot be reached from the entry",
  run: (_module, fn) => eliminateUnreachableBlocks(fn.body),
};
