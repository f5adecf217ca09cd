// TREC readers and the trec_eval measures on hand-checked examples.
import { describe, expect, it } from 'vitest';
import { IncompatibleFormatError } from '../core/index.js';
import { evaluateRun, formatRun, parseJsonlDocuments, parseQrels, parseTopics, parseTrecDocuments, type Run } from './index.js';

describe('readers', () => {
  it('TREC documents: DOCNO is the id, other tags are dropped', () => {
    const docs = parseTrecDocuments('<DOC>\n<DOCNO> 12 </DOCNO>\n<HEAD>Title</HEAD> body text\n</DOC>\n<DOC><DOCNO>x</DOCNO>b</DOC>');
    expect(docs).toEqual([
      { id: '12', text: 'Title  body text' },
      { id: 'x', text: 'b' },
    ]);
    expect(() => parseTrecDocuments('<DOC>no id</DOC>')).toThrow(IncompatibleFormatError);
  });

  it('JSONL documents name the bad line', () => {
    expect(parseJsonlDocuments('{"id":1,"text":"a"}\n\n{"id":"b","title":"t","text":"c"}\n')).toEqual([
      { id: '1', text: 'a' },
      { id: 'b', title: 't', text: 'c' },
    ]);
    expect(() => parseJsonlDocuments('{"id":"a","text":"x"}\n{"id":"b"}', 'f.jsonl')).toThrow(/f\.jsonl:2: a document needs/);
  });

  it('topics: closed and classic TREC tags, or qid<TAB>query', () => {
    expect(parseTopics('<top><num>1</num><title>\nA  B\n</title></top>')).toEqual([{ id: '1', query: 'A B' }]);
    expect(parseTopics('<top>\n<num> Number: 301\n<title> Topic: oil spills\n\n<desc> Description:\nx\n</top>')).toEqual([{ id: '301', query: 'oil spills' }]);
    expect(parseTopics('7\tred shoes\r\n8\tblue\n')).toEqual([
      { id: '7', query: 'red shoes' },
      { id: '8', query: 'blue' },
    ]);
    expect(() => parseTopics('no tab here')).toThrow(/topics:1: expected "qid<TAB>query"/);
  });

  it('qrels and runs', () => {
    const qrels = parseQrels('1 0 a 1\n1 0 b 0\n');
    expect(qrels.get('1')).toEqual(new Map([['a', 1], ['b', 0]]));
    expect(() => parseQrels('1 0 a')).toThrow(/qrels:1/);
    expect(formatRun(new Map([['1', [{ docId: 'a', score: 2 }]]]), 'tag')).toBe('1 Q0 a 1 2 tag\n');
  });
});

describe('evaluateRun (trec_eval semantics)', () => {
  // Topic q: relevant a (grade 2) and c (grade 1), b judged non-relevant, d unjudged.
  const qrels = parseQrels('q 0 a 2\nq 0 b 0\nq 0 c 1\n');

  it('AP, P@10, Recall@1000 and nDCG@10 by hand', () => {
    const run: Run = new Map([['q', [{ docId: 'a', score: 3 }, { docId: 'b', score: 2 }, { docId: 'c', score: 1 }]]]);
    const r = evaluateRun(run, qrels);
    expect(r.map).toBeCloseTo((1 / 1 + 2 / 3) / 2, 12);
    expect(r.p_at_10).toBeCloseTo(2 / 10, 12);
    expect(r.recall_at_1000).toBe(1);
    // DCG = 2/log2(2) + 1/log2(4) = 2.5; ideal = 2 + 1/log2(3).
    expect(r.ndcg_at_10).toBeCloseTo(2.5 / (2 + 1 / Math.log2(3)), 12);
  });

  it('re-sorts by score, ties by docno descending, as trec_eval does', () => {
    const listed: Run = new Map([['q', [{ docId: 'a', score: 1 }, { docId: 'c', score: 1 }]]]);
    // trec_eval puts c before a on the tie: AP = (1/1 + 2/2) / 2 either way, but P@1 would differ; nDCG sees it.
    const r = evaluateRun(listed, qrels);
    expect(r.ndcg_at_10).toBeCloseTo((1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3)), 12);
  });

  it('a judged topic missing from the run counts 0', () => {
    const r = evaluateRun(new Map(), qrels);
    expect(r).toMatchObject({ map: 0, topics: 1 });
  });
});
