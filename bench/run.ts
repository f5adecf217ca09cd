// `npm run bench -- <name> [--json] [args]`: runs bench/<name>.ts, compiled to dist/bench/<name>.js by
// scripts/build.mjs (as production runs; see there why not through tsx). With --json, prints exactly one
// JSON object on stdout; otherwise a table. Progress goes to stderr. Run from the repository root.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { report, type Bench, type BenchReport } from './harness.js';

const [name, ...rest] = process.argv.slice(2);
const json = rest.includes('--json');
const args = rest.filter((a) => a !== '--json');
// `.js` when running compiled, `.ts` under tsx.
const ext = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
const available = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith(ext) && ![`run${ext}`, `harness${ext}`].includes(f) && !f.endsWith(`.test${ext}`))
  .map((f) => f.slice(0, -ext.length));

if (name === undefined || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name> [--json]\nbenchmarks: ${available.join(', ')}\n`);
  process.exit(name === undefined ? 0 : 2);
}

const module = (await import(`./${name}${ext}`)) as { default: Bench };
const result = report(await module.default({ args, log: (text) => process.stderr.write(`${text}\n`) }));
process.stdout.write(json ? `${JSON.stringify(result)}\n` : table(result));
// Also kept as a file: `npm run` (without -s) prints its own banner on stdout before ours.
const out = `bench/out/${name}.json`;
mkdirSync('bench/out', { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written to bench/out/${name}.json\n`);

function table(result: BenchReport): string {
  const metrics = [...new Set(result.rows.flatMap((r) => Object.keys(r).filter((k) => k !== 'case' && k !== 'engine')))];
  const header = ['case', 'engine', ...metrics];
  const lines = [header, ...result.rows.map((r) => header.map((h) => String(r[h] ?? '')))];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const setup = Object.entries(result.setup).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `${result.bench} (node ${result.node}, ${result.cpus} cpus) ${setup}`,
    ...lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')),
    '',
  ].join('\n');
}
