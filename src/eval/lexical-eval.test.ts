// The search evaluation end to end on a tiny collection, and its interruption.
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../core/index.js';
import { parseQrels, runLexicalEval, type EvalDocument } from './index.js';

const docs: EvalDocument[] = [
  { id: 'a', text: 'microwave dielectric measurements' },
  { id: 'b', text: 'transistor amplifiers and their circuits' },
  { id: 'c', text: 'dielectric constants of liquids' },
];
const topics = [{ id: '1', query: 'dielectric liquids' }];
const qrels = parseQrels('1 0 c 1\n1 0 b 0\n');

describe('runLexicalEval', () => {
  it('ranks the doc with both query words first: MAP 1', async () => {
    const result = await runLexicalEval({ docs, topics, qrels, feedback: false });
    expect(result.run.get('1')?.map((h) => h.docId)).toEqual(['c', 'a']);
    expect(result.report.map).toBe(1);
  });

  it('stops with a CancelledError when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runLexicalEval({ docs, topics, qrels, signal: controller.signal })).rejects.toThrow(CancelledError);
  });
});
