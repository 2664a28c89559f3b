/**
 * `sa run prog.bagel` from the command line: the manifest's extension
 * selects the Bagel interpreter; engines and -O work; compile errors exit
 * with 65 in Lox's format, run-time errors with 70 as `message\n[line N]`;
 * no input ends in a JavaScript stack trace.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runSa } from "../conformance/runner.ts";

const scratch = mkdtempSync(join(tmpdir(), "sa-bagel-"));
function file(name: string, contents: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, contents);
  return path;
}

const JS_STACK = /^\s+at .+:\d+:\d+\)?$/m;
const HELLO = join(REPO_ROOT, "interpreters", "bagel", "programs", "hello.bagel");

describe("sa run prog.bagel", () => {
  for (const args of [["--engine=tree"], ["--engine=ir", "-O0"], ["--engine=wasm"]]) {
    it(`runs a program (${args.join(" ")})`, async () => {
      const r = await runSa(["run", ...args, HELLO]);
      expect(r).toMatchObject({ exitCode: 0, stdout: "hello, world\nhello, Bagel\n42!\n", stderr: "" });
    });
  }

  it("is refused by the commands that take Lox programs, with a one-line reason", async () => {
    for (const command of [["check"], ["ir"], ["compile", "-o", join(scratch, "out.wasm")]]) {
      const r = await runSa([...command, HELLO]);
      expect(r.exitCode).toBe(64);
      expect(r.stderr).toMatch(/is a Bagel program; `sa (check|ir|compile)` takes Lox programs/);
    }
  });

  it("specializes the interpreter with --jit=eager and says what it did with --jit-log, --explain and --time", async () => {
    const r = await runSa(["run", "--jit=eager", "--jit-log", "--explain", "--time", join(REPO_ROOT, "interpreters", "bagel", "programs", "arrays.bagel")]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^sa: jit: specialized execute as execute'1: \d+ instructions/m);
    const linked = /^sa: jit: linked ([1-9]\d*) functions, [1-9]\d* bytes, in ([\d.]+) ms \(specialize ([\d.]+), optimize ([\d.]+), lower ([\d.]+), encode ([\d.]+), V8 compile ([\d.]+)\)$/m.exec(r.stderr);
    expect(linked).not.toBeNull();
    const [total, ...steps] = (linked as RegExpExecArray).slice(2).map(Number) as [number, ...number[]];
    // The steps are parts of the batch's time.
    expect(steps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total + 0.5);
    expect(r.stderr).toMatch(/^explain execute'1:$/m);
    expect(r.stderr).toMatch(/^  pc \d+:$/m);
    const time = /^sa: time: compile ([\d.]+) ms \(([^)]*)\), run [\d.]+ ms \(jit [\d.]+ ms, [1-9]\d* functions, [1-9]\d* bytes\)$/m.exec(r.stderr);
    expect(time).not.toBeNull();
    // The compile steps, in the order they ran, are parts of the compile time.
    const compileSteps = ((time as RegExpExecArray)[2] as string).split(", ").map((s) => /^(.+) ([\d.]+)$/.exec(s) as RegExpExecArray);
    expect(compileSteps.map((m) => m[1])).toEqual(["front end", "lower", "optimize IR", "keep IR for the JIT", "lower to machine", "encode", "V8 compile", "instantiate"]);
    expect(compileSteps.reduce((a, m) => a + Number(m[2]), 0)).toBeLessThanOrEqual(Number((time as RegExpExecArray)[1]) + 0.5);
    const off = await runSa(["run", "--jit=off", join(REPO_ROOT, "interpreters", "bagel", "programs", "arrays.bagel")]);
    expect(off).toMatchObject({ exitCode: 0, stdout: r.stdout, stderr: "" });
  });

  it("prints the optimized IR of each specialized function with --jit-ir", async () => {
    const r = await runSa(["run", "--jit=eager", "--jit-ir", join(REPO_ROOT, "interpreters", "bagel", "programs", "arrays.bagel")]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^function f\d+ "execute"\(val(, val)*\) -> val #\d+ @specialization\(1\) \{$/m);
    expect(r.stderr).toMatch(/^block0\(v\d+: val/m);
    expect(r.stderr).not.toMatch(/^sa: jit:/m);
  });

  it("runs without an annotation's effect with --disable-annotation, and refuses names that are not annotations", async () => {
    const program = join(REPO_ROOT, "interpreters", "bagel", "programs", "arrays.bagel");
    const all = await runSa(["run", "--jit=eager", "--jit-log", program]);
    expect(all.stderr).toMatch(/^sa: jit: specialized execute as execute'1/m);
    // Without @specialize nothing is specialized; without @readonly the bytecode cannot be read while specializing.
    const noSpecialize = await runSa(["run", "--jit=eager", "--jit-log", "--disable-annotation=specialize", program]);
    expect(noSpecialize).toMatchObject({ exitCode: 0, stdout: all.stdout, stderr: "" });
    const noReadonly = await runSa(["run", "--jit=eager", "--jit-log", "--disable-annotation", "readonly", "--disable-annotation", "context", program]);
    expect(noReadonly).toMatchObject({ exitCode: 0, stdout: all.stdout });
    expect(noReadonly.stderr).not.toBe(all.stderr);
    const unknown = await runSa(["run", "--disable-annotation=fast", program]);
    expect(unknown).toMatchObject({ exitCode: 64, stdout: "" });
    expect(unknown.stderr).toBe("sa: --disable-annotation: there is no annotation 'fast' (the annotations are specialize, context, readonly, monomorphize, pure)\n");
  });

  it("names in --explain the annotation that would have kept a value known", async () => {
    const program = join(REPO_ROOT, "interpreters", "bagel", "programs", "arrays.bagel");
    const explain = async (disabled: string): Promise<string> =>
      (await runSa(["run", "--jit=eager", "--explain", `--disable-annotation=${disabled}`, program])).stderr;
    expect(await explain("readonly")).toMatch(/load lox\.get \.code at line \d+: the field 'code' is not @readonly/);
    expect(await explain("context")).toMatch(/branch br at line \d+: .*execute has no @context, so its loop is not unrolled per program counter/);
    expect(await explain("pure")).toMatch(/call lox\.call at line \d+: its arguments are constants, but isIndex is not @pure/);
    // With every annotation on, what stays is named for what it is.
    const all = (await runSa(["run", "--jit=eager", "--explain", program])).stderr;
    expect(all).toMatch(/bagelError always raises an error; the call stays on this error path/);
    expect(all).not.toMatch(/is not @readonly|has no @context/);
  });

  it("reports compile errors like Lox, exit 65", async () => {
    const r = await runSa(["run", file("bad.bagel", "print 1;\nvar = 2;\nprint (3;\n")]);
    expect(r.exitCode).toBe(65);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("[line 2] Error at '=': Expect variable name.\n[line 3] Error at ';': Expect ')' after expression.\n");
  });

  it("reports run-time errors with the Bagel line, exit 70", async () => {
    const r = await runSa(["run", "--engine=tree", file("index.bagel", "var a = [1, 2];\nprint a[1];\nprint a[2];\nprint 3;\n")]);
    expect(r).toMatchObject({ exitCode: 70, stdout: "2\n", stderr: "Index out of range.\n[line 3]\n" });
  });

  it("reports wrong argument counts, undefined globals and stack overflow", async () => {
    const arity = await runSa(["run", "--engine=tree", file("arity.bagel", "fun f(a) { return a; }\n\nprint f(1, 2);\n")]);
    expect(arity).toMatchObject({ exitCode: 70, stderr: "Expected 1 arguments but got 2.\n[line 3]\n" });
    const global = await runSa(["run", "--engine=tree", file("global.bagel", "fun f() { return later; }\nprint f();\nvar later = 1;\n")]);
    expect(global).toMatchObject({ exitCode: 70, stderr: "Undefined variable 'later'.\n[line 1]\n" });
    const deep = await runSa(["run", file("deep.bagel", "fun d(n) {\n  return 1 + d(n + 1);\n}\nprint d(0);\n")]);
    expect(deep).toMatchObject({ exitCode: 70, stderr: "Stack overflow.\n[line 2]\n" });
  });

  it("survives hostile input without a JavaScript stack trace", async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    for (const input of [bytes, "(".repeat(200_000), "fun f(" + "a, ".repeat(300) + "b) {}"]) {
      const r = await runSa(["run", "--engine=tree", file("hostile.bagel", input)]);
      expect(r.exitCode).toBe(65);
      expect(r.stderr).not.toMatch(JS_STACK);
      expect(r.stderr).not.toContain("node:internal");
    }
  });
});
