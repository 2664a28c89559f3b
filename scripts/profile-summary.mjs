/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per
 * function, highest first. Usage: node scripts/profile-summary.mjs FILE [N]
 */
import { readFileSync } from "node:fs";

const [file, limit = "25"] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: node scripts/profile-summary.mjs FILE.cpuprofile [N]");
  process.exit(64);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas;
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const f = node.callFrame;
  const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
  const dt = deltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
});
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(limit));
for (const [key, us] of rows) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
console.log(`${(total / 1000).toFixed(0).padStart(7)} ms total`);
