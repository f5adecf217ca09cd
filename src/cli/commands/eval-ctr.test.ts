// `quarry eval ctr` end to end on tiny files: the JSON report, rejected lines, saving, MovieLens, usage errors.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCtrModel } from '../../models/index.js';
import { writeTinyMovieLens } from '../../models/test-data.js';
import { EXIT, runCli } from '../main.js';
import { recordingTerminal } from '../terminal.js';

let dir: string;
let train: string;
let valid: string;
let test: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-eval-ctr-'));
  // Clicks follow the item (a clicks, b does not) whatever the user: learnable from 40 rows.
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => `${i % 2 === 0 ? 1 : 0} 0:u${i % 5}:1 1:${i % 2 === 0 ? 'a' : 'b'}:1 2:c${i % 3}:0.5`).join('\n');
  [train, valid, test] = ['train.ffm', 'valid.ffm', 'test.ffm'].map((name) => join(dir, name)) as [string, string, string];
  await writeFile(train, `${rows(40)}\n`);
  await writeFile(valid, `${rows(10)}\n`);
  await writeFile(test, `${rows(10)}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const terminal = recordingTerminal();
  const code = await runCli(['eval', 'ctr', ...argv], { terminal });
  return { code, stdout: terminal.stdout.join(''), stderr: terminal.stderr.join('\n') };
}

interface Report {
  model: string;
  test_logloss: number;
  test_auc: number;
  early_stopping: boolean;
  epochs: unknown[];
  data: { train_rows: number; rejected_lines?: number };
  test_gauc_user?: number;
}

describe('quarry eval ctr', () => {
  it.each(['lr', 'fm', 'ffm'])('trains %s on libffm files and prints test_logloss and test_auc as JSON', async (model) => {
    const result = await run('--train', train, '--valid', valid, '--test', test, '--model', model, '--epochs', '5', '--json');
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.model).toBe(model);
    expect(report.early_stopping).toBe(true);
    expect(report.test_auc).toBe(1); // the item decides the click
    expect(report.test_logloss).toBeLessThan(Math.log(2));
  });

  it('without --valid says early stopping is off and trains every epoch', async () => {
    const result = await run('--train', train, '--test', test, '--model', 'ffm', '--epochs', '3', '--json');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toMatch(/no --valid: early stopping is off, all 3 epochs are trained/);
    expect((JSON.parse(result.stdout) as Report).epochs).toHaveLength(3);
  });

  it('reports rejected lines as FILE:LINE, trains on the rest and exits 1', async () => {
    const broken = join(dir, 'broken.ffm');
    await writeFile(broken, '1 0:u1:1 1:a:1 2:c0:1\nclick 0:u1:1\n0 0:u2:1 1:b\n0 0:u2:1 1:b:1 2:c1:1\n');
    const result = await run('--train', broken, '--test', test, '--model', 'lr', '--json');
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toContain(`${broken}:2: rejected: label "click"`);
    expect(result.stderr).toContain(`${broken}:3: rejected: entry 2 "1:b" is not field:feature:value`);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.data).toMatchObject({ train_rows: 2, rejected_lines: 2 });
  });

  it('saves a model that loads with its feature map and calibration', async () => {
    const path = join(dir, 'ffm.qctr');
    const result = await run('--train', train, '--valid', valid, '--test', test, '--model', 'ffm', '--calibrate', 'platt', '--save', path);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/test\s+10\s+0\.\d{4}\s+1\.0000/);
    const bundle = await loadCtrModel(path);
    expect(bundle.model.kind).toBe('ffm');
    expect(bundle.featureMap?.nFeatures).toBe(10); // u0..u4, a, b, c0..c2
    expect(bundle.calibration?.[0]?.kind).toBe('platt');
  });

  it('trains FFM with per-weight (libffm) or per-vector AdaGrad accumulators as --adagrad says', async () => {
    for (const [adagrad, perVector] of [['coordinate', false], ['row', true]] as const) {
      const path = join(dir, `ffm-${adagrad}.qctr`);
      const result = await run('--train', train, '--test', test, '--model', 'ffm', '--k', '4', '--adagrad', adagrad, '--save', path);
      expect(result.code).toBe(EXIT.ok);
      const model = (await loadCtrModel(path)).model;
      expect(model.header().config).toMatchObject({ adagrad });
      const { weights, weightsG } = model.parameters as { weights: Float32Array; weightsG: Float32Array };
      expect(weightsG.length).toBe(perVector ? weights.length / 4 : weights.length);
    }
  });

  it('starts an FFM from a saved FM with --init-from, and refuses a start that does not fit', async () => {
    const fm = join(dir, 'fm-init.qctr');
    expect((await run('--train', train, '--valid', valid, '--test', test, '--model', 'fm', '--k', '4', '--save', fm)).code).toBe(EXIT.ok);
    const warm = await run('--train', train, '--valid', valid, '--test', test, '--model', 'ffm', '--k', '4', '--init-from', fm, '--json');
    expect(warm.code).toBe(EXIT.ok);
    expect((JSON.parse(warm.stdout) as Report).test_auc).toBe(1);

    const other = join(dir, 'other.ffm');
    await writeFile(other, '1 0:x:1 1:y:1\n0 0:z:1 1:y:1\n');
    const refused = [
      [['--train', train, '--test', test, '--model', 'fm', '--init-from', fm], /does not apply to --model fm/],
      [['--train', train, '--test', test, '--model', 'ffm', '--k', '8', '--init-from', fm], /k 4 vs 8/],
      [['--train', other, '--test', test, '--model', 'ffm', '--k', '4', '--init-from', fm], /was trained on other features/],
    ] as const;
    for (const [argv, message] of refused) {
      const result = await run(...argv);
      expect(result.code).not.toBe(EXIT.ok);
      expect(result.stderr).toMatch(message);
    }
  });

  it('builds MovieLens samples with --movielens and adds the per-user GAUC', async () => {
    const ml = join(dir, 'ml-100k');
    await mkdir(ml);
    await writeTinyMovieLens(ml);
    const result = await run('--movielens', ml, '--split', 'random', '--model', 'fm', '--epochs', '2', '--json');
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.data.train_rows).toBe(8);
    expect(report).toHaveProperty('test_gauc_user');
  });

  it.each([
    [['--train', 'x', '--test', 'y'], /required option '--model <model>'/],
    [['--train', 'x', '--test', 'y', '--model', 'gbdt'], /Allowed choices are lr, fm, ffm/],
    [['--train', 'x', '--model', 'lr'], /pass --train and --test files, or --movielens/],
    [['--train', 'x', '--test', 'y', '--model', 'lr', '--k', '4'], /--k does not apply to --model lr/],
    [['--train', 'x', '--test', 'y', '--model', 'fm', '--adagrad', 'row'], /--adagrad applies to --model ffm only/],
    [['--train', 'x', '--test', 'y', '--model', 'ffm', '--adagrad', 'diagonal'], /Allowed choices are row, coordinate/],
    [['--train', 'x', '--test', 'y', '--model', 'ffm', '--lr', '-1'], /--lr.*must be a number > 0/],
    [['--train', 'x', '--test', 'y', '--model', 'ffm', '--negative-rate', '2'], /<= 1/],
  ])('exits 2 on bad usage: %s', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
  });

  it('fails with exit 1 naming a missing file', async () => {
    const result = await run('--train', join(dir, 'missing.ffm'), '--test', test, '--model', 'lr');
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/cannot read .*missing\.ffm/);
    expect(existsSync(join(dir, 'missing.ffm'))).toBe(false);
  });
});
