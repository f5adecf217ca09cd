/** 食品 (food): snacks, tea, coffee. */

import { name, pairs, series, type TopCategorySpec } from './types.js';

export const FOOD: TopCategorySpec = {
  id: 'food',
  ...name('食品', 'Food'),
  resellers: [
    { name: '吃货联盟零食专营店', region: '安徽' },
    { name: '茗香茶叶专营店', region: '福建' },
    { name: '每日优鲜食品专营店', region: '上海' },
  ],
  leaves: [
    {
      id: 'food.snacks',
      ...name('零食', 'Snacks'),
      synonyms: ['休闲零食', '小吃'],
      queryEn: ['snacks', 'snack'],
      noun: name('休闲零食', 'snack'),
      weight: 5,
      price: { median: 40, sigma: 0.45 },
      maxQuantity: 5,
      title: name('{brand} {series} {flavor} {weight} {pack}', '{brand} {series} {flavor} {weight} {pack}'),
      attributes: [
        { key: 'flavor', queryable: true, values: pairs(['原味', 'original'], ['香辣', 'spicy'], ['五香', 'five-spice'], ['蜂蜜', 'honey']) },
        { key: 'weight', values: [{ ...name('200g'), price: 0.6 }, { ...name('500g'), price: 1 }, { ...name('1kg'), price: 1.7 }] },
        { key: 'pack', values: [{ ...name('袋装', 'bag'), price: 1 }, { ...name('礼盒装', 'gift box'), price: 1.4 }] },
      ],
      brands: [
        { ...name('三只松鼠', 'Three Squirrels'), tier: 'mid', region: '安徽', share: 2, series: [series('每日坚果', 'Daily Nuts'), series('夏威夷果', 'Macadamia Nuts')] },
        { ...name('良品铺子', 'Bestore'), tier: 'mid', region: '湖北', share: 1.5, series: [series('猪肉脯', 'Pork Jerky'), series('坚果礼盒', 'Nut Gift Box', { priceFactor: 1.5 })] },
        { ...name('百草味', 'Be&Cheery'), tier: 'mid', region: '浙江', series: [series('芒果干', 'Dried Mango'), series('每日坚果', 'Daily Nuts')] },
        { ...name('卫龙', 'Weilong'), tier: 'budget', region: '河南', share: 1.5, series: [series('大面筋', 'Spicy Gluten Strips'), series('魔芋爽', 'Konjac Snack')] },
        { ...name('乐事', "Lay's"), tier: 'budget', region: '上海', series: [series('薯片', 'Potato Chips')] },
        { ...name('奥利奥', 'Oreo'), tier: 'budget', region: '上海', series: [series('夹心饼干', 'Sandwich Cookies')] },
        { ...name('来伊份', 'Laiyifen'), tier: 'premium', region: '上海', series: [series('精制猪肉脯', 'Premium Pork Jerky'), series('手剥山核桃', 'Hickory Nuts')] },
      ],
    },
    {
      id: 'food.tea',
      ...name('茶叶', 'Tea'),
      synonyms: ['口粮茶', '新茶'],
      queryEn: ['tea'],
      noun: name('茶叶', 'tea'),
      weight: 3,
      price: { median: 180, sigma: 0.55 },
      maxQuantity: 3,
      title: name('{brand} {series} {grade} {harvest} {weight} {pack}{noun}', '{brand} {series} {grade} {harvest} {weight} {pack} {noun}'),
      attributes: [
        { key: 'grade', values: [{ ...name('特级', 'premium grade'), price: 1.4 }, { ...name('一级', 'first grade'), price: 1 }] },
        { key: 'harvest', values: pairs(['2025新茶', '2025 harvest'], ['2026新茶', '2026 harvest']) },
        { key: 'weight', values: [{ ...name('100g'), price: 0.5 }, { ...name('250g'), price: 1 }, { ...name('500g'), price: 1.8 }] },
        { key: 'pack', values: [{ ...name('罐装', 'tin'), price: 1 }, { ...name('礼盒装', 'gift box'), price: 1.5 }] },
      ],
      brands: [
        { ...name('八马', 'Bama'), tier: 'mid', region: '福建', share: 1.5, series: [series('铁观音', 'Tieguanyin'), series('大红袍', 'Da Hong Pao')] },
        { ...name('竹叶青', 'Zhuyeqing'), tier: 'premium', region: '四川', series: [series('峨眉高山绿茶', 'Emei Mountain Green Tea')] },
        { ...name('小罐茶', 'Xiaoguan Tea'), tier: 'premium', region: '北京', series: [series('西湖龙井', 'West Lake Longjing'), series('金骏眉', 'Jin Jun Mei')] },
        { ...name('大益', 'Dayi'), tier: 'mid', region: '云南', series: [series('普洱熟茶', "Pu'er Ripe Tea"), series('7572')] },
        { ...name('张一元', 'Zhang Yiyuan'), tier: 'mid', region: '北京', series: [series('茉莉花茶', 'Jasmine Tea')] },
        { ...name('艺福堂', 'Yifutang'), tier: 'budget', region: '浙江', share: 1.5, series: [series('西湖龙井', 'West Lake Longjing'), series('碧螺春', 'Biluochun')] },
      ],
    },
    {
      id: 'food.coffee',
      ...name('咖啡', 'Coffee'),
      synonyms: ['咖啡粉'],
      queryEn: ['coffee'],
      noun: name('咖啡', 'coffee'),
      weight: 3,
      price: { median: 80, sigma: 0.45 },
      maxQuantity: 4,
      title: name('{brand} {series} {roast}{form}{noun} {spec}', '{brand} {series} {roast} {form} {noun} {spec}'),
      attributes: [
        { key: 'form', queryable: true, values: pairs(['速溶', 'instant'], ['咖啡豆', 'whole bean'], ['挂耳', 'drip bag'], ['冷萃', 'cold brew']) },
        { key: 'roast', values: pairs(['中度烘焙', 'medium roast'], ['深度烘焙', 'dark roast']) },
        { key: 'spec', values: [{ ...name('24颗', '24 pods'), price: 1 }, { ...name('500g'), price: 1.3 }, { ...name('10包', '10 packs'), price: 0.6 }] },
      ],
      brands: [
        { ...name('雀巢', 'Nescafé'), tier: 'budget', region: '上海', share: 2, series: [series('金牌', 'Gold Blend'), series('1+2')] },
        { ...name('三顿半', 'Saturnbird'), tier: 'mid', region: '广东', share: 1.5, series: [series('超即溶', 'Super Instant')] },
        { ...name('星巴克', 'Starbucks'), tier: 'premium', region: '上海', series: [series('派克市场', 'Pike Place'), series('佛罗娜', 'Verona')] },
        { ...name('瑞幸', 'Luckin'), tier: 'mid', region: '福建', series: [series('冻干', 'Freeze-dried')] },
        { ...name('永璞', 'Yongpu'), tier: 'mid', region: '浙江', series: [series('闪萃', 'Flash Brew')] },
        { ...name('隅田川', 'Sumida'), tier: 'budget', region: '上海', series: [series('蓝山风味', 'Blue Mountain Style')] },
      ],
    },
  ],
};
