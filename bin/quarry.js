#!/usr/bin/env node
// `npx quarry` once installed, `npm start` and `npm run quarry`: runs the compiled CLI (dist/, see
// scripts/build.mjs), compiling it first when a source changed since the last build. The build runs
// in a child process so nothing of it loads into this one. When the build cannot run (esbuild
// missing), the sources run through tsx's loader instead, which is slower on typed-array hot loops.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isStale } from '../scripts/build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = new URL('../dist/src/cli/bin.js', import.meta.url);

let built = !isStale();
if (!built) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url)), '--if-stale'], { cwd: root, stdio: 'inherit' });
  built = result.status === 0 && existsSync(compiled);
  if (!built) process.stderr.write('quarry: the build failed; running the TypeScript sources through tsx instead\n');
}
if (built) {
  process.setSourceMapsEnabled(true);
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/bin.ts');
}
