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
// The new tree is written beside dist/ and swapped in with two renames (dist/ → dist.old-PID, then
// dist.next-PID → dist/): a process that starts in the instant between them finds no dist/, and
// bin/quarry.js then runs the sources through tsx instead. Builds take a lock (dist.lock, stolen when
// older than two minutes), so two never swap at once, and a build that waited re-checks --if-stale.
// The type check is `npm run typecheck`'s job, not this script's.
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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

/** A stale lock (its holder crashed) is taken over after this long. */
const LOCK_STALE_MS = 120_000;

/** Waits for the build lock beside `outdir` and returns its release. */
async function lock(outdir) {
  const path = `${outdir}.lock`;
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      return () => rmSync(path, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(path, { force: true });
      else await sleep(100);
    }
  }
}

/**
 * Compiles the sources into `outdir` (replacing it) and copies the other files (the page's assets).
 * With `ifStale`, does nothing when `outdir` is up to date (checked once the lock is held). Returns the
 * number of source files built, 0 when nothing was.
 */
export async function buildDist(root = ROOT, outdir = join(root, 'dist'), options = {}) {
  const release = await lock(outdir);
  const next = `${outdir}.next-${process.pid}`;
  try {
    if (options.ifStale === true && !isStale(root, outdir)) return 0;
    const { build } = await import('esbuild');
    // The stamp gets the time the sources were read, so a file saved during the build counts as newer.
    const started = Date.now() / 1000;
    const files = sourceFiles(root);
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
    writeFileSync(join(next, STAMP), `${new Date(started * 1000).toISOString()}\n`);
    utimesSync(join(next, STAMP), started, started);
    const old = `${outdir}.old-${process.pid}`;
    if (existsSync(outdir)) renameSync(outdir, old);
    renameSync(next, outdir);
    rmSync(old, { recursive: true, force: true });
    return files.length;
  } finally {
    rmSync(next, { recursive: true, force: true });
    release();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--outdir');
  const outdir = at > 0 ? join(ROOT, process.argv[at + 1] ?? 'dist') : join(ROOT, 'dist');
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !isStale(ROOT, outdir)) process.exit(0);
  const started = performance.now();
  const count = await buildDist(ROOT, outdir, { ifStale });
  if (count > 0) process.stderr.write(`built ${outdir} from ${count} files in ${Math.round(performance.now() - started)} ms\n`);
}
