/** 家居 (home): desk lamps, bedding. */

import { name, pairs, series, type TopCategorySpec } from './types.js';

export const HOME: TopCategorySpec = {
  id: 'home',
  ...name('家居', 'Home'),
  resellers: [
    { name: '安居家居专营店', region: '广东' },
    { name: '暖居家纺专营店', region: '江苏' },
  ],
  leaves: [
    {
      id: 'home.desk-lamps',
      ...name('台灯', 'Desk lamps'),
      synonyms: ['护眼台灯', '学习台灯', 'LED台灯'],
      queryEn: ['desk lamp', 'lamp'],
      noun: name('台灯', 'desk lamp'),
      weight: 3,
      price: { median: 200, sigma: 0.45 },
      maxQuantity: 2,
      title: name('{brand} {series} {feature}{noun} {power} {color}', '{brand} {series} {feature} {noun} {power} {color}'),
      attributes: [
        { key: 'feature', queryable: true, values: pairs(['国AA级护眼', 'AA-grade eye-care'], ['无频闪', 'flicker-free'], ['智能调光', 'smart dimming']) },
        { key: 'power', values: [{ ...name('插电款', 'plug-in'), price: 1 }, { ...name('充电款', 'rechargeable'), price: 1.2 }] },
        { key: 'color', values: pairs(['白色', 'white'], ['黑色', 'black'], ['原木色', 'natural wood']) },
      ],
      brands: [
        { ...name('米家', 'Mijia'), tier: 'budget', region: '北京', share: 2, series: [series('台灯1S', 'Desk Lamp 1S'), series('台灯Pro', 'Desk Lamp Pro', { priceFactor: 1.6 })] },
        { ...name('飞利浦', 'Philips'), tier: 'mid', region: '上海', share: 1.5, series: [series('轩睿', 'Xuanrui'), series('酷皓', 'Kuhao')] },
        { ...name('欧普照明', 'Opple'), tier: 'mid', region: '上海', series: [series('学生护眼', 'Student Eye-care')] },
        { ...name('明基', 'BenQ'), tier: 'premium', region: '上海', series: [series('WiT'), series('ScreenBar', 'ScreenBar', { priceFactor: 0.8 })] },
        { ...name('松下', 'Panasonic'), tier: 'mid', region: '上海', series: [series('致儒', 'Zhiru'), series('致皓', 'Zhihao')] },
        { ...name('雷士照明', 'NVC'), tier: 'budget', region: '广东', series: [series('LED学习', 'LED Study')] },
      ],
    },
    {
      id: 'home.bedding',
      ...name('床品', 'Bedding'),
      synonyms: ['床上用品', '家纺'],
      queryEn: ['bedding', 'bed sheets', 'duvet'],
      noun: name('床品', 'bedding'),
      weight: 3,
      price: { median: 300, sigma: 0.5 },
      maxQuantity: 2,
      title: name('{brand} {series} {material}{piece} {size} {color}', '{brand} {series} {material} {piece} for {size} {color}'),
      attributes: [
        {
          key: 'piece',
          queryable: true,
          values: [
            { ...name('四件套', '4-piece set'), price: 1 },
            { ...name('被子', 'duvet'), price: 1.3 },
            { ...name('枕头', 'pillow'), price: 0.4 },
            { ...name('床单', 'sheet'), price: 0.5 },
          ],
        },
        {
          key: 'material',
          queryable: true,
          values: [
            { ...name('纯棉', 'cotton'), price: 1 },
            { ...name('天丝', 'Tencel'), price: 1.3 },
            { ...name('真丝', 'silk'), price: 2 },
            { ...name('磨毛', 'brushed'), price: 0.8 },
          ],
        },
        { key: 'size', values: pairs(['1.5m床', '1.5 m bed'], ['1.8m床', '1.8 m bed'], ['2.0m床', '2.0 m bed']) },
        { key: 'color', values: pairs(['米白', 'cream'], ['浅灰', 'light grey'], ['雾霾蓝', 'haze blue'], ['豆绿', 'pea green']) },
      ],
      brands: [
        { ...name('罗莱', 'Luolai'), tier: 'premium', region: '上海', share: 1.5, series: [series('天丝系列', 'Tencel Collection'), series('LOVO', 'LOVO', { priceFactor: 0.6 })] },
        { ...name('水星家纺', 'Mercury Home'), tier: 'mid', region: '上海', share: 1.5, series: [series('A类母婴级', 'Class A'), series('简约', 'Simple')] },
        { ...name('富安娜', 'Fuanna'), tier: 'mid', region: '广东', series: [series('圣之花', 'Saint Flower')] },
        { ...name('梦洁', 'Mendale'), tier: 'mid', region: '湖南', series: [series('宝贝', 'Baby'), series('奢华', 'Luxe', { priceFactor: 1.5 })] },
        { ...name('无印良品', 'MUJI'), tier: 'premium', region: '上海', series: [series('水洗棉', 'Washed Cotton')] },
        { ...name('南极人', 'Nanjiren'), tier: 'budget', region: '江苏', share: 2, series: [series('亲肤', 'Skin-friendly'), series('加厚', 'Thick')] },
      ],
    },
  ],
};
