import { describe, expect, it } from 'vitest';
import { IncompatibleFormatError } from '../core/index.js';
import { parseQueryLog } from './query-log.js';

describe('parseQueryLog', () => {
  it('counts repeats of `qid<TAB>query` lines (the query may hold further tabs), skipping blank lines', () => {
    expect(parseQueryLog('1\t手机\n2\tipad\r\n\n3\t手机\n4\ta\tb\n', 'q.tsv')).toEqual({
      format: 'tsv',
      queries: [
        { query: '手机', count: 2 },
        { query: 'ipad', count: 1 },
        { query: 'a\tb', count: 1 },
      ],
    });
  });

  it('reads a JSON array and JSONL of {query, popularity} or {query, count}, keeping zero popularity', () => {
    const json = JSON.stringify([{ query: 'tv', popularity: 5, nb_words: 1 }, { query: 'hdmi', popularity: 0 }, { query: 'tv', count: 2 }]);
    expect(parseQueryLog(json, 'x.json')).toEqual({ format: 'json', queries: [{ query: 'tv', count: 7 }, { query: 'hdmi', count: 0 }] });
    expect(parseQueryLog('{"query":"a","count":3}\n{"query":"b"}\n', 'x.jsonl')).toEqual({ format: 'jsonl', queries: [{ query: 'a', count: 3 }, { query: 'b', count: 1 }] });
  });

  it.each([
    ['1\tok\nno tab', /q:2: expected "qid<TAB>query", found no tab/],
    ['[{"query": ""}]', /q: record 0: "query" must be a non-empty string/],
    ['[{"query": "a", "popularity": 1.5}]', /record 0: "popularity" \(or "count"\) must be an integer >= 0, got 1.5/],
    ['{"query":"a"}\n{oops', /q:2: not valid JSON/],
    ['[1, 2', /q: not valid JSON/],
  ])('names the line or record of a malformed log: %s', (text, message) => {
    expect(() => parseQueryLog(text, 'q')).toThrow(IncompatibleFormatError);
    expect(() => parseQueryLog(text, 'q')).toThrow(message);
  });
});
