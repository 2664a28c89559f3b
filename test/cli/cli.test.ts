/**
 * The command line as a user meets it: help, usage errors, file errors,
 * exit codes, and hostile input (random bytes, a 10 MB program, deeply
 * nested expressions), none of which may end in a JavaScript stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSa } from "../conformance/runner.ts";

const scratch = mkdtempSync(join(tmpdir(), "sa-cli-"));
function file(name: string, contents: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, contents);
  return path;
}

/** A JavaScript stack frame in output means an internal failure leaked out. */
const JS_STACK = /^\s+at .+:\d+:\d+\)?$/m;

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(JS_STACK);
  expect(text).not.toContain("node:internal");
}

describe("sa command line", () => {
  it("--help lists the commands and exit codes", async () => {
    const r = await runSa(["--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("sa run <file>");
    expect(r.stdout).toContain("sa check <file>");
    expect(r.stdout).toContain("65 compile error");
  });

  it("--disable-annotation runs the program as if it had no such annotation, on every engine", async () => {
    const path = file("readonly.lox", "@readonly(x)\nclass P { init(x) { this.x = x; } }\nvar p = P(1);\np.x = 2;\nprint p.x;\n");
    for (const engine of ["tree", "ir", "wasm"]) {
      const enforced = await runSa(["run", `--engine=${engine}`, path]);
      expect(enforced).toMatchObject({ exitCode: 70, stdout: "" });
      expect(enforced.stderr).toContain("Can't assign to readonly field 'x'.");
      const disabled = await runSa(["run", `--engine=${engine}`, "--disable-annotation=readonly", path]);
      expect(disabled).toMatchObject({ exitCode: 0, stdout: "2\n", stderr: "" });
    }
  });

  it("run --help describes the engine option", async () => {
    const r = await runSa(["run", "--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("--engine");
    expect(r.stdout).toContain("tree");
  });

  it("no command is a usage error (64)", async () => {
    const r = await runSa([]);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain("Name a command");
  });

  it("an unknown option is a usage error (64)", async () => {
    const r = await runSa(["run", file("ok.lox", "print 1;"), "--frobnicate"]);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain("frobnicate");
  });

  it("an unknown engine is a usage error (64)", async () => {
    const r = await runSa(["run", "--engine=warp", file("ok2.lox", "print 1;")]);
    expect(r.exitCode).toBe(64);
  });

  it("a missing file is one line and exit 66", async () => {
    const r = await runSa(["run", join(scratch, "absent.lox")]);
    expect(r.exitCode).toBe(66);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("absent.lox");
  });

  it("a directory is one line and exit 66", async () => {
    const r = await runSa(["run", scratch]);
    expect(r.exitCode).toBe(66);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("check reports diagnostics and exit 65 without running anything", async () => {
    const r = await runSa(["check", file("bad.lox", 'print "side effect";\nvar = 1;\n')]);
    expect(r.exitCode).toBe(65);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("[line 2] Error at '=': Expect variable name.\n");
  });

  it("check on a valid program prints nothing and exits 0", async () => {
    const r = await runSa(["check", file("good.lox", 'print "not run";\n')]);
    expect(r).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("check --format=json gives codes and offsets", async () => {
    const r = await runSa(["check", "--format=json", file("bad2.lox", "print 1 +;\n")]);
    expect(r.exitCode).toBe(65);
    const records = JSON.parse(r.stdout) as { code: string; line: number; start: number; message: string }[];
    expect(records).toEqual([
      expect.objectContaining({ code: "L0101", line: 1, start: 9, message: "Expect expression." }),
    ]);
  });

  it("random bytes give diagnostics, not a crash", async () => {
    let seed = 12345;
    const bytes = new Uint8Array(200_000).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    const r = await runSa(["run", file("random.bin", bytes)]);
    expect(r.exitCode).toBe(65);
    expectNoStackTrace(r.stderr);
    for (const line of r.stderr.trim().split("\n")) expect(line).toMatch(/^\[line \d+\] Error/);
  });

  it("runs a 10 MB program", async () => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 10_000_000; i++) {
      const line = `var v${i} = ${i} * 2 + 1;\n`;
      lines.push(line);
      size += line.length;
    }
    lines.push("print v1 + v2;\n");
    // The tree engine: the Wasm engine compiles all 580,000 statements first (see the notes on compile time).
    const r = await runSa(["run", "--engine=tree", file("big.lox", lines.join(""))]);
    expect({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }).toEqual({ stdout: "8\n", stderr: "", exitCode: 0 });
  });

  it("100,000 nested parentheses evaluate", async () => {
    const n = 100_000;
    const r = await runSa(["run", file("nested.lox", `print ${"(".repeat(n)}1${")".repeat(n)};\n`)]);
    expect({ stdout: r.stdout, exitCode: r.exitCode }).toEqual({ stdout: "1\n", exitCode: 0 });
  });

  it("nesting beyond the stack is a clear compile error", async () => {
    const n = 2_000_000;
    const r = await runSa(["run", file("nested2.lox", `print ${"(".repeat(n)}1${")".repeat(n)};\n`)]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain("nested too deeply");
    expectNoStackTrace(r.stderr);
  });

  it.each(["tree", "ir", "wasm"])("unbounded recursion is the Lox error 'Stack overflow.' (%s)", async (engine) => {
    const r = await runSa(["run", `--engine=${engine}`, file("recurse.lox", "fun f(n) {\n  return f(n + 1);\n}\nf(0);\n")]);
    expect(r.exitCode).toBe(70);
    const lines = r.stderr.split("\n");
    expect(lines[0]).toBe("Stack overflow.");
    expect(lines[1]).toBe("[line 2] in f()");
    expect(r.stderr).toMatch(/\.\.\. \d+ more calls \.\.\./);
    // The trace ends with the script, or says that outer calls were cut.
    expect(r.stderr).toMatch(/\[line 4\] in script\n$|outer calls not shown\)\n$/);
    expect(lines.length).toBeLessThan(60);
  });

  it("output written before a runtime error comes first, on stdout", async () => {
    const r = await runSa(["run", file("order.lox", 'print "a";\nprint 1 + nil;\n')]);
    expect(r).toEqual({ stdout: "a\n", stderr: "Operands must be two numbers or two strings.\n[line 2] in script\n", exitCode: 70 });
  });

  it("allocating without bound ends in 'Out of memory.' (wasm, with a memory limit)", async () => {
    const r = await runSa(["run", "--max-memory=64", file("hog.lox", "var keep = [];\nwhile (true) push(keep, array(1000, 0));\n")]);
    expect(r.exitCode).toBe(70);
    expect(r.stderr.split("\n")[0]).toBe("Out of memory.");
    expect(r.stderr).toContain("[line 2] in script");
  });

  it.each(["direct", "binaryen"])("compile writes a module that exec runs, with traces (%s)", async (backend) => {
    const out = join(scratch, `prog-${backend}.wasm`);
    const source = file(`prog-${backend}.lox`, 'print "compiled";\nfun f() { return nil + 1; }\nf();\n');
    const c = await runSa(["compile", `--backend=${backend}`, source, "-o", out]);
    expect(c).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    const r = await runSa(["exec", out]);
    expect(r).toEqual({
      stdout: "compiled\n",
      stderr: "Operands must be two numbers or two strings.\n[line 2] in f()\n[line 3] in script\n",
      exitCode: 70,
    });
  });

  it("exec rejects a truncated or corrupted module with a clear message", async () => {
    const out = join(scratch, "whole.wasm");
    await runSa(["compile", file("whole.lox", "print 1;\n"), "-o", out]);
    const bytes = readFileSync(out);
    for (const [name, broken] of [
      ["truncated.wasm", bytes.subarray(0, Math.floor(bytes.length / 2))],
      ["corrupt.wasm", Uint8Array.from(bytes, (b, i) => (i > 8 && i % 7 === 0 ? b ^ 0x55 : b))],
      ["text.wasm", Buffer.from("not wasm at all")],
    ] as const) {
      const r = await runSa(["exec", file(name, broken)]);
      expect(r.exitCode, name).toBe(65);
      expect(r.stderr, name).toMatch(/^sa: '.*' is not a program sa can run: /);
      expect(r.stderr.trim().split("\n"), name).toHaveLength(1);
    }
  });

  it("preserves the bytes of non-ASCII strings", async () => {
    const r = await runSa(["run", file("utf8.lox", 'print "größer ☃";\n')]);
    expect(r.stdout).toBe(Buffer.from("größer ☃\n", "utf8").toString("latin1"));
  });
});
