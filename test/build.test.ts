// scripts/build.mjs: the compiled tree `npm start`, `bin/quarry.js` and `npm run bench` run, and why it exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { QUARRY_VERSION } from '../src/cli/version.js';

// A sibling of dist/ (the compiled files find package.json at dist/'s depth), private to this run.
const outdir = `dist-test-${process.pid}`;
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the compiled build', () => {
  it('compiles the sources and runs the CLI with plain node, with V8 typed-array fast path intact', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { stdio: 'pipe' });
    expect(existsSync(`${outdir}/src/cli/bin.js`)).toBe(true);
    expect(existsSync(`${outdir}/bench/run.js`)).toBe(true);
    expect(existsSync(`${outdir}/src/server/page/index.html`)).toBe(true);
    expect(existsSync(`${outdir}/src/models/ffm-kernel.test.js`)).toBe(false);
    const out = execFileSync(process.execPath, ['--trace-protector-invalidation', `${outdir}/src/cli/bin.js`, '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(QUARRY_VERSION);
    // The reason for the build: under tsx's loader V8 prints this line (docs/benchmarks.md).
    expect(out).not.toContain('ArrayBufferDetaching');
    // And the flag does report a detach (growing a WebAssembly memory detaches its buffer).
    const detached = execFileSync(process.execPath, ['--trace-protector-invalidation', '-e', 'new WebAssembly.Memory({ initial: 1 }).grow(1)'], { encoding: 'utf8' });
    expect(detached).toContain('ArrayBufferDetaching');
  });

  it('keeps the fast path while an HNSW index grows and matmuls need more WebAssembly memory (no memory.grow)', () => {
    const script = `${outdir}/protector-check.mjs`;
    writeFileSync(
      script,
      [
        "import { HnswIndex } from './src/vector/hnsw-index.js';",
        "import { gemmWasm, wasmGemmAvailable } from './src/tensor/gemm-wasm.js';",
        "const index = new HnswIndex({ dim: 16, M: 8, efConstruction: 40, metric: 'l2' });",
        'for (let i = 0; i < 3000; i++) index.add(i, Float32Array.from({ length: 16 }, (_, d) => Math.sin(i * 7 + d)));',
        'if (wasmGemmAvailable()) for (const n of [64, 512]) gemmWasm(new Float32Array(n * n), new Float32Array(n * n), new Float32Array(n * n), { m: n, n, k: n });',
        "console.log('size', index.size);",
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, ['--trace-protector-invalidation', script], { encoding: 'utf8' });
    expect(out).toContain('size 3000');
    expect(out).not.toContain('ArrayBufferDetaching');
  });

  it('does not rebuild an up-to-date tree with --if-stale', () => {
    const stamp = () => statSync(`${outdir}/.build-stamp`).mtimeMs;
    const before = stamp();
    const run = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir, '--if-stale'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(stamp()).toBe(before);
  });
});
