// particles: a box of particles falling under gravity and bouncing off the
// walls. Measures field reads and writes on instances (numeric fields
// updated in a loop). JavaScript twin of particles.lox.

class Particle {
  constructor(x, y, vx, vy) {
    this.x = x;
    this.y = y;
    this.vx = vx;
    this.vy = vy;
    this.bounces = 0;
  }
}

const size = 1000;
const gravity = 0.25;

// A linear congruential generator (Park-Miller), exact in doubles.
let seed = 42;
function random(n) {
  seed = (seed * 16807) % 2147483647;
  return seed % n;
}

function makeParticles(count) {
  const particles = [];
  for (let i = 0; i < count; i++) {
    particles.push(new Particle(random(size), random(size), random(21) - 10, random(21) - 10));
  }
  return particles;
}

function simulate(particles, steps) {
  for (let step = 0; step < steps; step++) {
    for (const p of particles) {
      p.vy = p.vy + gravity;
      p.x = p.x + p.vx;
      p.y = p.y + p.vy;
      if (p.x < 0) { p.x = -p.x; p.vx = -p.vx; p.bounces++; }
      if (p.x > size) { p.x = 2 * size - p.x; p.vx = -p.vx; p.bounces++; }
      if (p.y > size) { p.y = 2 * size - p.y; p.vy = -p.vy * 0.75; p.bounces++; }
    }
  }
}

const particles = makeParticles(1000);
simulate(particles, 300);

let bounces = 0;
let sumX = 0;
let sumY = 0;
for (const p of particles) {
  bounces += p.bounces;
  sumX += Math.floor(p.x);
  sumY += Math.floor(p.y);
}
console.log(bounces);
console.log(sumX % 1000000);
console.log(sumY % 1000000);
