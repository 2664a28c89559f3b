/**
 * resolve-aliases: redirects every use of an alias to the value it stands
 * for (copy propagation). Passes that replace a value make the old value an
 * alias; this pass makes the replacement visible everywhere.
 */
import type { Pass } from "./pass.ts";

export const resolveAliasesPass: Pass = {
  name: "resolve-aliases",
  description: "redirect uses of aliases to the values they stand for (copy propagation)",
  run(_module, fn) {
    fn.body.resolveAllUses();
    return false;
  },
};
