/** 运动 (sports): yoga mats, basketballs. */

import { name, pairs, series, type TopCategorySpec } from './types.js';

export const SPORTS: TopCategorySpec = {
  id: 'sports',
  ...name('运动', 'Sports'),
  resellers: [
    { name: '动起来运动专营店', region: '浙江' },
    { name: '健身派户外专营店', region: '广东' },
  ],
  leaves: [
    {
      id: 'sports.yoga-mats',
      ...name('瑜伽垫', 'Yoga mats'),
      synonyms: ['健身垫', '运动垫'],
      queryEn: ['yoga mat', 'exercise mat'],
      noun: name('瑜伽垫', 'yoga mat'),
      weight: 2,
      price: { median: 120, sigma: 0.45 },
      maxQuantity: 2,
      title: name('{brand} {series} {material}{noun} {thickness} {color}', '{brand} {series} {material} {noun} {thickness} {color}'),
      attributes: [
        {
          key: 'material',
          queryable: true,
          values: [{ ...name('TPE'), price: 1 }, { ...name('NBR'), price: 0.7 }, { ...name('天然橡胶', 'natural rubber'), price: 1.6 }, { ...name('PU'), price: 1.4 }],
        },
        { key: 'thickness', values: pairs(['6mm', '6 mm'], ['8mm', '8 mm'], ['10mm', '10 mm']) },
        { key: 'color', values: pairs(['紫色', 'purple'], ['蓝色', 'blue'], ['粉色', 'pink'], ['黑色', 'black']) },
      ],
      brands: [
        { ...name('Keep'), tier: 'budget', region: '北京', share: 2, series: [series('双面防滑', 'Double-sided Non-slip')] },
        { ...name('lululemon'), tier: 'premium', region: '上海', englishTitleShare: 0.5, series: [series('The Mat 5mm')] },
        { ...name('迪卡侬', 'Decathlon'), tier: 'budget', region: '上海', share: 1.5, series: [series('Domyos')] },
        { ...name('李宁', 'Li-Ning'), tier: 'mid', region: '北京', series: [series('加宽', 'Extra Wide')] },
        { ...name('奥义', 'Aoyi'), tier: 'budget', region: '浙江', series: [series('初学者', 'Beginner')] },
        { ...name('Liforme'), tier: 'premium', region: '上海', series: [series('AlignForMe')] },
      ],
    },
    {
      id: 'sports.basketballs',
      ...name('篮球', 'Basketballs'),
      synonyms: [],
      queryEn: ['basketball'],
      noun: name('篮球', 'basketball'),
      weight: 2,
      price: { median: 180, sigma: 0.35 },
      maxQuantity: 2,
      title: name('{brand} {series} {surface}{noun} {size} {material}', '{brand} {series} {surface} {noun} {size} {material}'),
      attributes: [
        { key: 'size', queryable: true, values: pairs(['7号球', 'size 7'], ['6号球', 'size 6'], ['5号球', 'size 5']) },
        { key: 'surface', values: pairs(['室内外通用', 'indoor/outdoor'], ['室外耐磨', 'outdoor durable']) },
        { key: 'material', values: [{ ...name('超纤PU', 'microfiber PU'), price: 1.1 }, { ...name('橡胶', 'rubber'), price: 0.5 }] },
      ],
      brands: [
        { ...name('斯伯丁', 'Spalding'), tier: 'mid', region: '上海', share: 2, series: [series('TF-1000'), series('NBA官方', 'NBA Official', { priceFactor: 1.4 })] },
        { ...name('威尔胜', 'Wilson'), tier: 'mid', region: '上海', share: 1.5, series: [series('Evolution'), series('NBA DRV')] },
        { ...name('摩腾', 'Molten'), tier: 'premium', region: '上海', series: [series('GG7X'), series('BG4500')] },
        { ...name('李宁', 'Li-Ning'), tier: 'mid', region: '北京', series: [series('反伍', 'BADFIVE')] },
        { ...name('狂神', 'Kuangshen'), tier: 'budget', region: '浙江', series: [series('训练球', 'Training')] },
      ],
    },
  ],
};
