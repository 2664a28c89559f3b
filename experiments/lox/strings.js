// strings: word counting. Builds words by concatenating syllables picked by
// a pseudo-random generator and counts them against a table of Lox keywords
// with string equality (===), plus comparisons with string literals.
// Measures concatenation and string equality. JavaScript twin of strings.lox.

const syllables = ["an", "d", "cl", "ass", "el", "se", "f", "or", "un", "i",
                   "n", "il", "ret", "urn", "wh", "ile", "va", "r", "th", "is"];
const keywords = ["and", "class", "else", "false", "for", "fun", "if", "nil",
                  "or", "print", "return", "super", "this", "true", "var", "while"];

// A linear congruential generator (Park-Miller), exact in doubles.
let seed = 7;
function random(n) {
  seed = (seed * 16807) % 2147483647;
  return seed % n;
}

// One to three syllables.
function makeWord() {
  let word = syllables[random(syllables.length)];
  const more = random(3);
  for (let i = 0; i < more; i++) word = word + syllables[random(syllables.length)];
  return word;
}

function countWords(n) {
  const counts = new Array(keywords.length).fill(0);
  let others = 0;
  let shortWords = 0;
  for (let w = 0; w < n; w++) {
    const word = makeWord();
    let k = 0;
    while (k < keywords.length && word !== keywords[k]) k++;
    if (k < keywords.length) counts[k]++;
    else others++;
    if (word === "an" || word === "or" || word === "if" || word === "is") shortWords++;
  }
  keywords.forEach((keyword, k) => console.log(`${keyword} ${counts[k]}`));
  console.log(`others ${others}`);
  console.log(`short ${shortWords}`);
}

countWords(40000);
