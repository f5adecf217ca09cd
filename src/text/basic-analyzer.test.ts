import { describe, expect, it } from 'vitest';
import { analyze, normalizeText } from './basic-analyzer.js';

describe('normalizeText', () => {
  it('folds full-width forms, case and white space', () => {
    expect(normalizeText('  ＨＵＡＷＥＩ　Ｍａｔｅ６０  Pro ')).toBe('huawei mate60 pro');
  });
});

describe('analyze', () => {
  it('splits Latin words and Han runs, giving Han bigrams', () => {
    expect(analyze('华为 Mate 60 Pro 5G手机', { mode: 'query' })).toEqual(['华为', 'mate', '60', 'pro', '5g', '手机']);
  });

  it('adds single Han characters on the index side so one-character queries match', () => {
    expect(analyze('红茶', { mode: 'index' })).toEqual(['红', '茶', '红茶']);
    expect(analyze('茶', { mode: 'query' })).toEqual(['茶']);
  });

  it('gives every bigram of a longer Han run', () => {
    expect(analyze('华为手机', { mode: 'query' })).toEqual(['华为', '为手', '手机']);
  });

  it('drops punctuation and returns nothing for text without letters or digits', () => {
    expect(analyze('12GB+512GB / 雅川青!', { mode: 'query' })).toEqual(['12gb', '512gb', '雅川', '川青']);
    expect(analyze(' ,.!? ', { mode: 'query' })).toEqual([]);
  });
});
