// `quarry demo` as a user runs it: a real process that simulates a small world, serves it on a free
// port, answers a search, and shuts down cleanly on SIGTERM; then `quarry serve` on the same file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-demo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/**
 * Starts `quarry <args>` through `bin/quarry.js`, as `npm start` does (compiling dist/ first when a
 * source changed), and resolves with the URL it prints once it serves.
 */
function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['bin/quarry.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /serving on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url === undefined) return;
      const running = { child, url, stderr: () => stderr };
      started.push(running);
      resolve(running);
    });
    child.on('exit', (code) => reject(new Error(`quarry exited with ${code} before serving:\n${stderr}`)));
  });
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null) resolve(running.child.exitCode);
    running.child.on('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

/** Children still running when a test ends (an assertion failed mid-way) are killed, not leaked. */
const started: Running[] = [];
afterEach(() => {
  for (const running of started.splice(0)) if (running.child.exitCode === null) running.child.kill('SIGKILL');
});

describe('quarry demo', () => {
  it('simulates, serves, answers, and stops cleanly; serve reloads the same data', async () => {
    const db = join(dir, 'demo.db');
    const world = ['--items', '300', '--users', '60', '--days', '2', '--sessions-per-day', '60', '--seed', 'demo-test'];
    const demo = await start(['demo', '--db', db, '--port', '0', ...world]);
    expect(demo.stderr()).toMatch(/Simulated \d+ sessions/);
    expect(demo.stderr()).toMatch(/300 items, 60 users/);

    const search = (await (await fetch(`${demo.url}/search?q=${encodeURIComponent('手机')}&limit=5`)).json()) as { items: { categoryPath: string[] }[] };
    expect(search.items.length).toBeGreaterThan(0);
    expect(search.items[0]?.categoryPath).toContain('手机');
    const health = (await (await fetch(`${demo.url}/health`)).json()) as { items: number; events: { click: number; query: number } };
    expect(health.items).toBe(300);
    expect(health.events.click).toBeGreaterThan(0);

    expect(await stop(demo)).toBe(0);
    expect(demo.stderr()).toMatch(/stopped\./);

    const served = await start(['serve', '--db', db, '--port', '0']);
    const again = (await (await fetch(`${served.url}/health`)).json()) as { items: number; events: { click: number; query: number } };
    expect(again.items).toBe(300);
    expect(again.events.click).toBe(health.events.click);
    // The search above was learned at once and written at shutdown: the reload sees the same count.
    expect(again.events.query).toBe(health.events.query);
    expect(await stop(served)).toBe(0);
  }, 120_000);
});
