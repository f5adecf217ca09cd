import { existsSync, readFileSync } from 'node:fs';

/**
 * The package's version, from package.json: two folders up from src/cli/, three from the compiled
 * dist/src/cli/.
 */
export const QUARRY_VERSION: string = readVersion();

function readVersion(): string {
  const candidates = ['../../package.json', '../../../package.json'].map((path) => new URL(path, import.meta.url));
  const file = candidates.find((url) => existsSync(url)) ?? candidates[0]!;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
