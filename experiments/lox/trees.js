// trees: the binary-trees benchmark. Builds and walks many complete binary
// trees of class instances, keeping one long-lived tree; measures allocation
// of small objects and the garbage collector. JavaScript twin of trees.lox.

class Tree {
  constructor(left, right) {
    this.left = left;
    this.right = right;
  }

  // The number of nodes.
  check() {
    if (this.left === null) return 1;
    return 1 + this.left.check() + this.right.check();
  }
}

function bottomUp(depth) {
  if (depth === 0) return new Tree(null, null);
  return new Tree(bottomUp(depth - 1), bottomUp(depth - 1));
}

const minDepth = 4;
const maxDepth = 14;

const stretch = maxDepth + 1;
console.log(`stretch tree of depth ${stretch} check: ${bottomUp(stretch).check()}`);

const longLived = bottomUp(maxDepth);

for (let depth = minDepth; depth <= maxDepth; depth += 2) {
  const iterations = 1 << (maxDepth - depth + minDepth);
  let total = 0;
  for (let i = 0; i < iterations; i++) {
    total += bottomUp(depth).check();
  }
  console.log(`${iterations} trees of depth ${depth} check: ${total}`);
}

console.log(`long lived tree of depth ${maxDepth} check: ${longLived.check()}`);
