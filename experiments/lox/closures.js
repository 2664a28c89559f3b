// closures: counters, adders and compositions made by closures and called
// in loops. Measures closure creation, captured-variable reads and writes,
// and calls through closures. JavaScript twin of closures.lox.

function makeCounter(step) {
  let count = 0;
  return function next() {
    count = count + step;
    return count;
  };
}

function makeAdder(n) {
  return (x) => x + n;
}

function compose(f, g) {
  return (x) => f(g(x));
}

// Two closures sharing one captured variable.
function makeAccumulator() {
  let total = 0;
  const add = (x) => { total = (total + x) % 1000000; };
  const get = () => total;
  return [add, get];
}

const [accumulate, current] = makeAccumulator();

for (let i = 0; i < 20000; i++) {
  const counter = makeCounter(i % 7 + 1);
  const addBoth = compose(makeAdder(i % 13), makeAdder(1));
  for (let j = 0; j < 100; j++) {
    accumulate(addBoth(counter()));
  }
}
console.log(current());
