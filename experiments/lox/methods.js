// methods: method calls on a small class hierarchy: overridden methods,
// inherited methods, and calls through `super`. Measures method dispatch,
// `this`, and constructors chained with `super`. JavaScript twin of
// methods.lox.

class Shape {
  constructor(sides) {
    this.sides = sides;
    this.scale = 1;
  }

  area() { return 0; }

  // Inherited by every subclass; calls the subclass's area().
  weighted() { return this.area() * this.scale + this.sides; }

  grow() {
    this.scale = this.scale + 1;
    if (this.scale > 10) this.scale = 1;
  }
}

class Rect extends Shape {
  constructor(w, h) {
    super(4);
    this.w = w;
    this.h = h;
  }

  area() { return this.w * this.h; }
}

class Square extends Rect {
  constructor(side) { super(side, side); }

  // The rectangle's area, through super, plus one side.
  area() { return super.area() + this.w; }
}

class Triangle extends Shape {
  constructor(base, height) {
    super(3);
    this.base = base;
    this.height = height;
  }

  area() { return Math.floor(this.base * this.height / 2); }

  grow() {
    super.grow();
    this.base = this.base % 7 + 1;
  }
}

const shapes = [new Rect(3, 4), new Square(5), new Triangle(6, 7), new Shape(0), new Square(2), new Triangle(3, 3)];

let total = 0;
for (let i = 0; i < 200000; i++) {
  const shape = shapes[i % shapes.length];
  total = (total + shape.weighted()) % 1000000;
  shape.grow();
}
console.log(total);
