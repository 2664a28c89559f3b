// sieve: the sieve of Eratosthenes on an array of booleans, run 50 times for
// each of several limits. Measures array allocation, indexing and element
// writes in tight loops. JavaScript twin of sieve.lox.

// The number of primes up to n.
function sieve(n) {
  const composite = new Array(n + 1).fill(false);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (!composite[i]) {
      count++;
      for (let j = i * i; j <= n; j += i) composite[j] = true;
    }
  }
  return count;
}

for (let n = 10; n <= 100000; n *= 10) {
  let count = 0;
  for (let round = 0; round < 50; round++) count = sieve(n);
  console.log(`primes up to ${n}: ${count}`);
}
