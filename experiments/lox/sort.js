// sort: quicksort (Hoare partition, middle pivot) of an array filled by a
// linear congruential generator computed with `%`, then a check that the
// result is ordered. Measures array reads and writes, comparisons and
// recursion. JavaScript twin of sort.lox.

// A linear congruential generator (Park-Miller), exact in doubles.
let seed = 12345;
function random() {
  seed = (seed * 16807) % 2147483647;
  return seed;
}

function quicksort(a, lo, hi) {
  while (lo < hi) {
    const pivot = a[Math.floor((lo + hi) / 2)];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Recurse into the smaller part, loop on the larger.
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

function checksum(a) {
  let sum = 0;
  for (const x of a) sum = (sum * 31 + x % 1000) % 1000003;
  return sum;
}

const n = 200000;
const a = new Array(n).fill(0);
for (let i = 0; i < n; i++) a[i] = random() % 1000000;

quicksort(a, 0, n - 1);

let ordered = true;
for (let i = 1; i < n; i++) {
  if (a[i - 1] > a[i]) ordered = false;
}
console.log(ordered);
console.log(a[0]);
console.log(a[Math.floor(n / 2)]);
console.log(a[n - 1]);
console.log(checksum(a));
