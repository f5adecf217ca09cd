import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildShopLexicon, catalogNames, createPinyinAnalyzer, createShopAnalyzer, englishAnalyzer, normalizeText } from './index.js';
import type { Item } from '../core/index.js';

const terms = (tokens: { term: string }[]) => tokens.map((t) => t.term);

interface TaobaoRow {
  id: string;
  title: string;
  brand: string;
}

const taobao: TaobaoRow[] = parse<TaobaoRow>(readFileSync(new URL('./fixtures/taobao-cosmetics-sample.csv', import.meta.url)), {
  columns: true,
  skipEmptyLines: true,
});

describe('shop analyzer on Taobao cosmetics titles', () => {
  const lexicon = buildShopLexicon(taobao.map((row) => row.brand));
  const analyzer = createShopAnalyzer({ lexicon });

  it('keeps every brand of the catalog whole wherever a title names it', () => {
    let checked = 0;
    for (const row of taobao) {
      const brand = normalizeText(row.brand);
      if (!normalizeText(row.title).includes(brand)) continue;
      checked++;
      expect(terms(analyzer.analyze(row.title, 'query')), row.title).toContain(brand);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('gives these tokens for a sample of titles (brands whole, unknown runs as bigrams)', () => {
    const sample = Object.fromEntries(
      taobao.slice(0, 4).map((row) => [row.title, terms(analyzer.analyze(row.title, 'query'))]),
    );
    expect(sample).toMatchInlineSnapshot(`
      {
        "Olay玉兰油爽肤水女 多效修护醒肤水 抗氧化水 补水保湿 收缩毛孔": [
          "olai",
          "玉兰油",
          "爽肤水",
          "女",
          "多效",
          "修护",
          "醒肤",
          "肤水",
          "抗氧化",
          "水",
          "补水",
          "保湿",
          "收缩",
          "毛孔",
        ],
        "Olay玉兰油爽肤水女 水漾动力盈润保湿露150ml 补水保湿深层滋润": [
          "olai",
          "玉兰油",
          "爽肤水",
          "女",
          "水漾",
          "动力",
          "盈润",
          "保湿",
          "露",
          "150ml",
          "补水",
          "保湿",
          "深层",
          "滋润",
        ],
        "innisfree/悦诗风吟香榧舒缓调理水 爽肤水保湿": [
          "innisfre",
          "悦诗风吟",
          "香榧",
          "舒缓",
          "调理",
          "水",
          "爽肤水",
          "保湿",
        ],
        "美宝莲眼唇卸妆液 脸部眼部及唇部卸妆油卸妆水温和清爽深层清洁": [
          "美宝莲",
          "眼唇",
          "卸妆液",
          "脸部",
          "眼部",
          "及",
          "唇部",
          "卸妆油",
          "卸妆水",
          "温和",
          "清爽",
          "深层",
          "清洁",
        ],
      }
    `);
  });

  it('reads a Latin brand written in pieces as the brand', () => {
    expect(terms(analyzer.analyze('SK-II神仙水230ml', 'query'))).toContain('skii');
    expect(terms(analyzer.analyze('skii 神仙水', 'query'))).toContain('skii');
  });
});

describe('shop analyzer', () => {
  const lexicon = buildShopLexicon(['华为', 'Mate 60', '雅诗兰黛', '小新Pro 14', '联想官方旗舰店']);
  const analyzer = createShopAnalyzer({ lexicon });

  it('keeps catalog names whole: brands, shops and series with spaces', () => {
    expect(terms(analyzer.analyze('华为Mate 60手机 雅诗兰黛小棕瓶', 'query'))).toEqual(['华为', 'mate60', '手机', '雅诗兰黛', '小棕', '棕瓶']);
    expect(terms(analyzer.analyze('HUAWEI ＭＡＴＥ６０', 'query'))).toEqual(['huawei', 'mate60']);
    expect(terms(analyzer.analyze('联想官方旗舰店 小新Pro 14', 'query'))).toEqual(['联想官方旗舰店', '小新pro14']);
  });

  it('indexes the parts of names and words too, at the same position, so partial queries match', () => {
    const tokens = analyzer.analyze('联想官方旗舰店 Mate 60', 'index');
    const at = (position: number) => tokens.filter((t) => t.position === position).map((t) => t.term);
    expect(at(0)).toEqual(expect.arrayContaining(['联想官方旗舰店', '联想', '旗舰店', '店']));
    expect(at(1)).toEqual(['mate60', 'mate']);
    expect(at(2)).toEqual(['60']);
  });

  it('falls back to bigrams for a run of characters the dictionary does not know', () => {
    expect(terms(analyzer.analyze('嘞嘞嘞', 'query'))).toEqual(['嘞嘞', '嘞嘞']);
    expect(terms(analyzer.analyze('嘞嘞', 'index'))).toEqual(['嘞嘞', '嘞', '嘞']);
  });

  it('stems English and drops its stop words', () => {
    expect(terms(analyzer.analyze('The running shoes of champions', 'query'))).toEqual(['run', 'shoe', 'champion']);
  });

  it('returns nothing for text without letters or digits, and survives control characters and long input', () => {
    expect(analyzer.analyze(' ,.!?\u0000\u0007 ', 'query')).toEqual([]);
    expect(analyzer.analyze('手机'.repeat(5_000), 'query')).toHaveLength(5_000);
  });

  it('changes its name when the lexicon changes, so snapshots are never read with another lexicon', () => {
    const other = createShopAnalyzer({ lexicon: buildShopLexicon(['华为']) });
    expect(other.name).not.toBe(analyzer.name);
    expect(createShopAnalyzer({ lexicon: buildShopLexicon(['雅诗兰黛', '华为', 'Mate 60', '小新Pro 14', '联想官方旗舰店']) }).name).toBe(
      analyzer.name,
    );
  });
});

describe('pinyin analyzer', () => {
  const lexicon = buildShopLexicon(['华为', '重庆小面']);
  const analyzer = createPinyinAnalyzer({ lexicon });

  it('spells Chinese words in toneless pinyin on the index side, reading polyphonic characters by word', () => {
    expect(terms(analyzer.analyze('华为手机 重庆小面', 'index'))).toEqual(['huawei', 'shouji', 'chongqingxiaomian']);
  });

  it('keeps only Latin words on the query side', () => {
    expect(terms(analyzer.analyze('Huawei 手机 shouji', 'query'))).toEqual(['huawei', 'shouji']);
  });
});

describe('english analyzer', () => {
  it('folds width and case, drops stop words and contractions, stems with Porter', () => {
    const analyzer = englishAnalyzer();
    expect(analyzer.analyze("Ｔｈｅ generalizations don't RUN", 'query')).toEqual([
      { term: 'gener', position: 1 },
      { term: 'run', position: 3 },
    ]);
  });

  it('can keep stop words and skip stemming', () => {
    expect(terms(englishAnalyzer({ stopWords: false, stem: false }).analyze('the Running', 'query'))).toEqual(['the', 'running']);
  });
});

describe('catalogNames', () => {
  it('collects brands, shops, category segments and series once each', () => {
    const item = (id: string, brand: string, series: string): Item =>
      ({ id, title: id, description: '', brand, shop: `${brand}旗舰店`, categoryPath: ['数码', '手机'], attributes: { series }, kind: 'product' });
    expect(catalogNames([item('a', '华为', 'Mate 60'), item('b', '华为', 'P70')]).sort()).toEqual(
      ['Mate 60', 'P70', '华为', '华为旗舰店', '手机', '数码'].sort(),
    );
  });
});
