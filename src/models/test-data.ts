// Synthetic CTR data for the models' tests: rows with one entry per field, labels drawn from a planted
// logistic model with a field interaction, so every model has something real to learn.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng, type Seed } from '../core/index.js';
import { SparseBatchBuilder, type SparseBatch } from './sparse-batch.js';

export interface PlantedData {
  batch: SparseBatch;
  /** The true click probability of each row. */
  truth: Float64Array;
}

/**
 * `rows` rows (drawn with `seed`) over `nFields` fields with `perField` features each (feature id = field * perField + value),
 * values 1 or, with `randomValues`, uniform in [0.5, 1.5). The logit is a per-feature bias plus a bonus
 * when fields 0 and 1 take the same value (an interaction a linear model cannot express).
 */
export function plantedCtrData(options: { rows: number; nFields?: number; perField?: number; seed?: Seed; randomValues?: boolean }): PlantedData {
  const { rows } = options;
  const nFields = options.nFields ?? 3;
  const perField = options.perField ?? 4;
  // The planted model depends on the shape only, so batches drawn with different seeds share it.
  const modelRng = new Rng(`planted-model/${nFields}/${perField}`);
  const bias = Float64Array.from({ length: nFields * perField }, () => modelRng.normal(0, 0.7));
  const rng = new Rng(options.seed ?? 'planted');
  const builder = new SparseBatchBuilder();
  const truth = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const picks = Array.from({ length: nFields }, () => rng.int(perField));
    let t = -0.5;
    for (let f = 0; f < nFields; f++) t += bias[f * perField + (picks[f] as number)] as number;
    if (picks[0] === picks[1]) t += 1.5;
    const p = 1 / (1 + Math.exp(-t));
    truth[r] = p;
    builder.push({
      label: rng.next() < p ? 1 : 0,
      fields: picks.map((_, f) => f),
      indices: picks.map((v, f) => f * perField + v),
      values: picks.map(() => (options.randomValues === true ? rng.uniform(0.5, 1.5) : 1)),
    });
  }
  return { batch: builder.build({ nFeatures: nFields * perField, nFields }), truth };
}

/** A MovieLens-100k in RecBole's atomic format, small: 3 users, 3 items, 10 ratings at times 1..10. */
export async function writeTinyMovieLens(dir: string): Promise<void> {
  const ratings = [
    [1, 10, 5, 1],
    [2, 10, 3, 2],
    [1, 11, 4, 3],
    [2, 12, 1, 4],
    [1, 12, 2, 5],
    [2, 11, 5, 6],
    [1, 10, 4, 7],
    [2, 10, 2, 8],
    [3, 11, 5, 9], // user 3 appears only in the test split
    [1, 12, 4, 10],
  ];
  await writeFile(join(dir, 'ml-100k.inter'), ['user_id:token\titem_id:token\trating:float\ttimestamp:float', ...ratings.map((r) => r.join('\t'))].join('\n'));
  await writeFile(
    join(dir, 'ml-100k.user'),
    ['user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token', '1\t24\tM\ttechnician\t85711', '2\t53\tF\tother\t94043', '3\t17\tM\tstudent\t10001'].join('\n'),
  );
  await writeFile(
    join(dir, 'ml-100k.item'),
    ['item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq', "10\tToy Story\t1995\tAnimation Children's Comedy", '11\tGoldenEye\t1995\tAction', '12\tCasablanca\t1942\tDrama Romance'].join('\n'),
  );
}
