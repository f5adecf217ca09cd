/** 母婴 (mother and baby): infant formula, diapers. */

import { name, pairs, series, type TopCategorySpec } from './types.js';

export const BABY: TopCategorySpec = {
  id: 'baby',
  ...name('母婴', 'Mother & baby'),
  resellers: [
    { name: '宝贝计划母婴专营店', region: '浙江' },
    { name: '爱婴岛母婴专营店', region: '广东' },
  ],
  leaves: [
    {
      id: 'baby.formula',
      ...name('奶粉', 'Infant formula'),
      synonyms: ['婴儿奶粉', '配方奶粉'],
      queryEn: ['infant formula', 'baby formula', 'milk powder'],
      noun: name('婴幼儿配方奶粉', 'infant formula'),
      weight: 3,
      price: { median: 300, sigma: 0.25 },
      maxQuantity: 6,
      title: name('{brand} {series} {noun} {stage} {weight}', '{brand} {series} {noun} {stage} {weight}'),
      attributes: [
        { key: 'stage', queryable: true, values: pairs(['1段', 'stage 1'], ['2段', 'stage 2'], ['3段', 'stage 3']) },
        { key: 'weight', values: [{ ...name('800g'), price: 1 }, { ...name('3罐装', '3 tins'), price: 2.8 }] },
      ],
      brands: [
        { ...name('飞鹤', 'Feihe'), tier: 'mid', region: '黑龙江', share: 2, series: [series('星飞帆', 'Astrobaby'), series('臻稚', 'Zhenzhi', { priceFactor: 1.3 })] },
        { ...name('美赞臣', 'Mead Johnson'), tier: 'premium', region: '广东', series: [series('蓝臻', 'Enfinitas')] },
        { ...name('爱他美', 'Aptamil'), tier: 'premium', region: '上海', share: 1.5, series: [series('卓萃', 'Profutura')] },
        { ...name('惠氏', 'Wyeth'), tier: 'premium', region: '上海', series: [series('启赋', 'Illuma')] },
        { ...name('伊利', 'Yili'), tier: 'mid', region: '内蒙古', series: [series('金领冠', 'Pro-Kido')] },
        { ...name('君乐宝', 'Junlebao'), tier: 'budget', region: '河北', series: [series('至臻', 'Zhizhen'), series('乐铂', 'Lebo')] },
      ],
    },
    {
      id: 'baby.diapers',
      ...name('纸尿裤', 'Diapers'),
      synonyms: ['尿不湿', '尿片'],
      queryEn: ['diapers', 'nappies'],
      noun: name('纸尿裤', 'diapers'),
      weight: 3,
      price: { median: 120, sigma: 0.3 },
      maxQuantity: 6,
      title: name('{brand} {series} {type} {size} {count}', '{brand} {series} {type} {size} {count}'),
      attributes: [
        { key: 'type', queryable: true, values: pairs(['纸尿裤', 'tape diapers'], ['拉拉裤', 'pull-ups']) },
        { key: 'size', queryable: true, values: pairs(['NB码', 'size NB'], ['S码', 'size S'], ['M码', 'size M'], ['L码', 'size L'], ['XL码', 'size XL']) },
        { key: 'count', values: [{ ...name('60片', '60 count'), price: 0.7 }, { ...name('84片', '84 count'), price: 1 }, { ...name('120片', '120 count'), price: 1.4 }] },
      ],
      brands: [
        { ...name('帮宝适', 'Pampers'), tier: 'mid', region: '广东', share: 2, series: [series('一级帮', 'Ichiban', { priceFactor: 1.4 }), series('清新帮', 'Fresh')] },
        { ...name('花王', 'Merries'), tier: 'premium', region: '上海', series: [series('妙而舒', 'Merries')] },
        { ...name('好奇', 'Huggies'), tier: 'mid', region: '上海', share: 1.5, series: [series('心钻装', 'Platinum', { priceFactor: 1.3 }), series('金装', 'Gold')] },
        { ...name('大王', 'Goo.N'), tier: 'premium', region: '上海', series: [series('天使', 'Angel')] },
        { ...name('babycare'), tier: 'mid', region: '浙江', series: [series('皇室', 'Royal')] },
        { ...name('巴布豆', 'Bobdog'), tier: 'budget', region: '福建', series: [series('新菠萝', 'New Pineapple')] },
      ],
    },
  ],
};
