// nbody: the n-body benchmark (the Sun and the four giant planets), with a
// class per body. Measures floating-point arithmetic and field access; the
// energy before and after is printed as integers (micro and pico units).
// JavaScript twin of nbody.lox.

const pi = 3.141592653589793;
const solarMass = 4 * pi * pi;
const daysPerYear = 365.24;

class Body {
  constructor(x, y, z, vx, vy, vz, mass) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.vx = vx * daysPerYear;
    this.vy = vy * daysPerYear;
    this.vz = vz * daysPerYear;
    this.mass = mass * solarMass;
  }
}

// The same Newton iteration as nbody.lox (not Math.sqrt), so that both
// compute bit-identical results.
function sqrt(x) {
  let g = 1;
  while (g * g < x) g = g * 2;
  while (g * g > 4 * x) g = g / 2;
  for (let i = 0; i < 6; i++) g = (g + x / g) / 2;
  return g;
}

function makeBodies() {
  const sun = new Body(0, 0, 0, 0, 0, 0, 1);
  const jupiter = new Body(
    4.8414314424647209, -1.16032004402742839, -0.103622044471123109,
    0.00166007664274403694, 0.00769901118419740425, -0.0000690460016972063023,
    0.000954791938424326609);
  const saturn = new Body(
    8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
    -0.00276742510726862411, 0.00499852801234917238, 0.0000230417297573763929,
    0.000285885980666130812);
  const uranus = new Body(
    12.894369562139131, -15.1111514016986312, -0.223307578892655734,
    0.00296460137564761618, 0.0023784717395948095, -0.0000296589568540237556,
    0.0000436624404335156298);
  const neptune = new Body(
    15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
    0.00268067772490389322, 0.00162824170038242295, -0.000095159225451971587,
    0.0000515138902046611451);
  const bodies = [sun, jupiter, saturn, uranus, neptune];

  // Give the Sun the momentum that makes the system's total zero.
  let px = 0;
  let py = 0;
  let pz = 0;
  for (const b of bodies) {
    px = px + b.vx * b.mass;
    py = py + b.vy * b.mass;
    pz = pz + b.vz * b.mass;
  }
  sun.vx = -px / solarMass;
  sun.vy = -py / solarMass;
  sun.vz = -pz / solarMass;
  return bodies;
}

function advance(bodies, dt) {
  const n = bodies.length;
  for (let i = 0; i < n; i++) {
    const a = bodies[i];
    for (let j = i + 1; j < n; j++) {
      const b = bodies[j];
      const dx = a.x - b.x;
      const dy = a.y - b.y;
      const dz = a.z - b.z;
      const d2 = dx * dx + dy * dy + dz * dz;
      const mag = dt / (d2 * sqrt(d2));
      a.vx = a.vx - dx * b.mass * mag;
      a.vy = a.vy - dy * b.mass * mag;
      a.vz = a.vz - dz * b.mass * mag;
      b.vx = b.vx + dx * a.mass * mag;
      b.vy = b.vy + dy * a.mass * mag;
      b.vz = b.vz + dz * a.mass * mag;
    }
  }
  for (const b of bodies) {
    b.x = b.x + dt * b.vx;
    b.y = b.y + dt * b.vy;
    b.z = b.z + dt * b.vz;
  }
}

function energy(bodies) {
  let e = 0;
  const n = bodies.length;
  for (let i = 0; i < n; i++) {
    const a = bodies[i];
    e = e + 0.5 * a.mass * (a.vx * a.vx + a.vy * a.vy + a.vz * a.vz);
    for (let j = i + 1; j < n; j++) {
      const b = bodies[j];
      const dx = a.x - b.x;
      const dy = a.y - b.y;
      const dz = a.z - b.z;
      e = e - a.mass * b.mass / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

// Prints e as two integers: its millionths, and the next six digits.
function show(e) {
  console.log(Math.floor(e * 1000000));
  console.log(Math.floor(e * 1000000000000) % 1000000);
}

const bodies = makeBodies();
show(energy(bodies));
for (let step = 0; step < 80000; step++) advance(bodies, 0.01);
show(energy(bodies));
