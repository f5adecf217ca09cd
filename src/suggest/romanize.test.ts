import { describe, expect, it } from 'vitest';
import { transliterations } from './mixed-input.js';
import { matchesTyped, romanize } from './romanize.js';
import { suggestionKeys } from './suggestion-keys.js';

describe('romanize', () => {
  // Polyphones read in context (重庆 chong, 重量 zhong, 银行 hang, 行李 xing, 音乐 yue, 乐高 le,
  // 朝阳 chao), ü typed as v, Latin and digits kept, spaces dropped.
  it.each([
    ['华为手机', 'huaweishouji', 'hwsj'],
    ['华为mate60 pro', 'huaweimate60pro', 'hwmate60pro'],
    ['重庆火锅', 'chongqinghuoguo', 'cqhg'],
    ['重量级', 'zhongliangji', 'zlj'],
    ['银行卡套', 'yinhangkatao', 'yhkt'],
    ['行李箱', 'xinglixiang', 'xlx'],
    ['长城汽车', 'changchengqiche', 'ccqc'],
    ['音乐播放器', 'yinyuebofangqi', 'yybfq'],
    ['乐高积木', 'legaojimu', 'lgjm'],
    ['朝阳区', 'chaoyangqu', 'cyq'],
    ['绿茶', 'lvcha', 'lc'],
    ['女装连衣裙', 'nvzhuanglianyiqun', 'nzlyq'],
    ['一次性手套', 'yicixingshoutao', 'ycxst'],
    ['不锈钢锅', 'buxiugangguo', 'bxgg'],
    ['单反相机', 'danfanxiangji', 'dfxj'],
    ['小米14', 'xiaomi14', 'xm14'],
    ['🍑绿藻头', '🍑lvzaotou', '🍑lzt'],
  ])('%s → %s, %s', (text, full, initials) => {
    expect(romanize(text)).toMatchObject({ full, initials });
  });

  it('keeps one syllable per code point, so mixed input can be checked character by character', () => {
    expect(romanize('华为 p40').syllables).toEqual(['hua', 'wei', '', 'p', '4', '0']);
  });

  it('keys Latin text by its spaceless form only when that differs, and has no initials for it', () => {
    expect(suggestionKeys('iphone 15')).toEqual({ text: ['iphone 15'], romanized: 'iphone15' });
    expect(suggestionKeys('iphone')).toEqual({ text: ['iphone'] });
    expect(suggestionKeys('华为手机', ['华为 手机'])).toEqual({ text: ['华为手机', '华为 手机'], romanized: 'huaweishouji', initials: 'hwsj' });
  });
});

describe('matchesTyped', () => {
  const text = '华为手机';
  const { syllables } = romanize(text);
  const typed = (s: string) => matchesTyped(Array.from(s), Array.from(text), syllables);

  it('accepts every way of beginning to type the query', () => {
    for (const input of ['华', '华为', 'hua为', 'hua为shou', '华为sh', '华为sj', '华wei手j', 'huaweisj', 'hwshouji', 'hw', 'huaw', '华为手机']) {
      expect(typed(input), input).toBe(true);
    }
  });

  it('rejects a homophone or a wrong letter', () => {
    for (const input of ['花为', 'hua位', '华为shi', 'hx', '华为手机壳']) expect(typed(input), input).toBe(false);
  });
});

describe('transliterations', () => {
  it('looks mixed input up by every reading of its Han characters', () => {
    expect(transliterations(Array.from('hua为'), 8).full).toContain('huawei');
    const lone = transliterations(Array.from('行l'), 8);
    expect(lone.full).toEqual(expect.arrayContaining(['xingl', 'hangl']));
    expect(lone.initials).toEqual(expect.arrayContaining(['xl', 'hl']));
    expect(transliterations(Array.from('行行行行'), 4).full).toHaveLength(4);
  });
});
