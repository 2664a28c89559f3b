// fib: naive recursive Fibonacci. Measures function calls (about 30 million)
// and small-integer arithmetic. JavaScript twin of fib.lox.

function fib(n) {
  if (n < 2) return n;
  return fib(n - 2) + fib(n - 1);
}

console.log(fib(35) % 1000000);
