#!/usr/bin/env node
// Compiles the TypeScript of src/ and bench/ to plain JavaScript in dist/ (same layout: dist/src/...,
// dist/bench/...), one file per source, no bundling. `bin/quarry.js`, `npm start` and `npm run bench`
// run the compiled files with plain node.
//
// Why not run the sources through tsx, as `npm test` does: tsx's ESM loader detaches an ArrayBuffer at
// startup (its WebAssembly lexer grows its memory), which invalidates V8's ArrayBufferDetaching protector
// for the whole process; from then on every typed-array load and store re-checks its buffer. The
// typed-array hot loops then lose 10-35% (FFM training at k = 8: 0.54 M rows/s under tsx, 0.75 M
// compiled; docs/ctr-models.md). Check with `node --trace-protector-invalidation`.
//
//   node scripts/build.mjs                  build dist/ (always)
//   node scripts/build.mjs --if-stale       build only when a source is newer than the last build
//   node scripts/build.mjs --outdir DIR     build into DIR (a sibling of dist/, so the compiled files find
//                                           package.json at the same depth; the build test uses it)
//
// The new tree is written beside dist/ and swapped in, so a process reading dist/ while another builds
// sees the old tree or the new one. The type check is `npm run typecheck`'s job, not this script's.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['src', 'bench'];
/** Written last: its modification time is the build's. */
const STAMP = '.build-stamp';
/** Not compiled: tests, and what only tests read. */
const SKIPPED = [/\.test\.ts$/, /(^|\/)fixtures\//, /^bench\/out\//];

/** Every file under the source folders that the build reads, relative to `root`. */
export function sourceFiles(root = ROOT) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (!SKIPPED.some((re) => re.test(path))) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return files;
}

/** True when `outdir` has no finished build, or a source (or package.json) changed after it. */
export function isStale(root = ROOT, outdir = join(root, 'dist')) {
  const stamp = join(outdir, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return [...sourceFiles(root), 'package.json'].some((file) => statSync(join(root, file)).mtimeMs > built);
}

/** Compiles the sources into `outdir` (replacing it) and copies the other files (the page's assets). */
export async function buildDist(root = ROOT, outdir = join(root, 'dist')) {
  const { build } = await import('esbuild');
  const files = sourceFiles(root);
  const next = `${outdir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: files.filter((f) => f.endsWith('.ts')),
    outdir: next,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    mkdirSync(join(next, file, '..'), { recursive: true });
    cpSync(join(root, file), join(next, file));
  }
  writeFileSync(join(next, STAMP), `${new Date().toISOString()}\n`);
  const old = `${outdir}.old-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(next, outdir);
  rmSync(old, { recursive: true, force: true });
  return files.length;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--outdir');
  const outdir = at > 0 ? join(ROOT, process.argv[at + 1] ?? 'dist') : join(ROOT, 'dist');
  if (process.argv.includes('--if-stale') && !isStale(ROOT, outdir)) process.exit(0);
  const started = performance.now();
  const count = await buildDist(ROOT, outdir);
  process.stderr.write(`built ${outdir} from ${count} files in ${Math.round(performance.now() - started)} ms\n`);
}
