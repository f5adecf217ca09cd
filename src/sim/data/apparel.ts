/** 服装 (apparel): T-shirts, dresses, sneakers, down jackets. */

import { name, pairs, series, type AttributeSpec, type TopCategorySpec } from './types.js';

const GENDER: AttributeSpec = { key: 'gender', values: pairs(['男款', "men's"], ['女款', "women's"]) };
const CLOTHING_SIZES: AttributeSpec = { key: 'size', values: pairs(['S', 'S'], ['M', 'M'], ['L', 'L'], ['XL', 'XL'], ['XXL', 'XXL']) };
const BASIC_COLORS: AttributeSpec = {
  key: 'color',
  queryable: true,
  values: pairs(['白色', 'white'], ['黑色', 'black'], ['灰色', 'grey'], ['藏青色', 'navy'], ['卡其色', 'khaki'], ['粉色', 'pink']),
};

export const APPAREL: TopCategorySpec = {
  id: 'apparel',
  ...name('服装', 'Apparel'),
  resellers: [
    { name: '潮流前线服饰专营店', region: '浙江' },
    { name: '运动派官方专营店', region: '福建' },
    { name: '衣品汇服饰专营店', region: '广东' },
  ],
  leaves: [
    {
      id: 'apparel.t-shirts',
      ...name('T恤', 'T-shirts'),
      synonyms: ['短袖', '体恤'],
      queryEn: ['t-shirt', 'tshirt', 'tee'],
      noun: name('短袖T恤', 'short-sleeve T-shirt'),
      weight: 4,
      price: { median: 99, sigma: 0.45 },
      maxQuantity: 3,
      title: name('{brand} {series} {gender}{material}{noun} {color} {size}', "{brand} {series} {gender} {material} {noun} {color} {size}"),
      attributes: [
        GENDER,
        { key: 'material', queryable: true, values: pairs(['纯棉', 'cotton'], ['速干', 'quick-dry'], ['莫代尔', 'modal'], ['冰丝', 'ice silk']) },
        BASIC_COLORS,
        CLOTHING_SIZES,
      ],
      brands: [
        { ...name('优衣库', 'Uniqlo'), tier: 'mid', region: '上海', share: 2, series: [series('U系列', 'Uniqlo U'), series('AIRism')] },
        { ...name('耐克', 'Nike'), tier: 'premium', region: '上海', share: 1.5, series: [series('Dri-FIT'), series('Sportswear')] },
        { ...name('阿迪达斯', 'Adidas'), tier: 'premium', region: '上海', share: 1.5, series: [series('三叶草', 'Originals'), series('Essentials')] },
        { ...name('李宁', 'Li-Ning'), tier: 'mid', region: '北京', series: [series('中国李宁', 'China Li-Ning'), series('运动生活', 'Sport Life')] },
        { ...name('安踏', 'Anta'), tier: 'budget', region: '福建', series: [series('冰丝系列', 'Ice Silk'), series('氮科技', 'Nitrogen Tech')] },
        { ...name('海澜之家', 'HLA'), tier: 'budget', region: '江苏', series: [series('凉感', 'Cool Touch'), series('商务休闲', 'Smart Casual')] },
        { ...name('森马', 'Semir'), tier: 'budget', region: '浙江', series: [series('基础款', 'Basics')] },
      ],
    },
    {
      id: 'apparel.dresses',
      ...name('连衣裙', 'Dresses'),
      synonyms: ['裙子', '长裙'],
      queryEn: ['dress'],
      noun: name('连衣裙', 'dress'),
      weight: 4,
      price: { median: 299, sigma: 0.45 },
      maxQuantity: 2,
      title: name('{brand} {season}{series}{material}{noun} 女 {color} {size}', "{brand} {season} {series} {material} {noun} women's {color} {size}"),
      attributes: [
        { key: 'season', values: pairs(['春季', 'spring'], ['夏季', 'summer'], ['秋季', 'autumn']) },
        { key: 'material', queryable: true, values: pairs(['雪纺', 'chiffon'], ['针织', 'knit'], ['棉麻', 'cotton-linen'], ['真丝', 'silk']) },
        { key: 'color', queryable: true, values: pairs(['黑色', 'black'], ['白色', 'white'], ['碎花', 'floral'], ['杏色', 'apricot'], ['雾霾蓝', 'haze blue']) },
        { key: 'size', values: pairs(['S', 'S'], ['M', 'M'], ['L', 'L'], ['XL', 'XL']) },
      ],
      brands: [
        { ...name('太平鸟', 'Peacebird'), tier: 'mid', region: '浙江', share: 1.5, series: [series('法式复古', 'French vintage'), series('通勤', 'office')] },
        { ...name('伊芙丽', 'Eifini'), tier: 'mid', region: '浙江', series: [series('气质', 'elegant'), series('收腰', 'fitted-waist')] },
        { ...name('欧时力', 'Ochirly'), tier: 'mid', region: '广东', series: [series('度假风', 'resort'), series('小黑裙', 'little black')] },
        { ...name('ZARA'), tier: 'mid', region: '上海', series: [series('印花', 'printed'), series('吊带', 'slip')] },
        { ...name('马克华菲', 'Mark Fairwhale'), tier: 'premium', region: '福建', series: [series('轻奢', 'luxe')] },
        { ...name('拉夏贝尔', 'La Chapelle'), tier: 'budget', region: '上海', series: [series('甜美', 'sweet'), series('碎花', 'floral')] },
        { ...name('韩都衣舍', 'Handu'), tier: 'budget', region: '山东', series: [series('韩版', 'Korean-style')] },
      ],
    },
    {
      id: 'apparel.sneakers',
      ...name('运动鞋', 'Sneakers'),
      synonyms: ['跑鞋', '球鞋'],
      queryEn: ['sneakers', 'running shoes', 'shoes'],
      noun: name('运动鞋', 'sneakers'),
      weight: 5,
      price: { median: 500, sigma: 0.35 },
      maxQuantity: 2,
      title: name('{brand} {series} {gender}{style} {feature} {color} {size}', '{brand} {series} {gender} {style} {feature} {color} {size}'),
      attributes: [
        GENDER,
        { key: 'style', values: pairs(['跑步鞋', 'running shoes'], ['篮球鞋', 'basketball shoes'], ['板鞋', 'skate shoes'], ['休闲鞋', 'casual shoes']) },
        { key: 'feature', values: pairs(['减震透气', 'cushioned breathable'], ['轻便耐磨', 'lightweight durable'], ['防滑', 'non-slip']) },
        { key: 'color', queryable: true, values: pairs(['白色', 'white'], ['黑色', 'black'], ['灰色', 'grey'], ['白蓝', 'white/blue']) },
        { key: 'size', values: pairs(['38码', 'EU 38'], ['40码', 'EU 40'], ['41码', 'EU 41'], ['42码', 'EU 42'], ['43码', 'EU 43'], ['44码', 'EU 44']) },
      ],
      brands: [
        { ...name('耐克', 'Nike'), tier: 'premium', region: '上海', share: 2, series: [series('空军一号', 'Air Force 1'), series('飞马40', 'Pegasus 40'), series('AJ1', 'Air Jordan 1', { priceFactor: 1.4 })] },
        { ...name('阿迪达斯', 'Adidas'), tier: 'premium', region: '上海', share: 1.5, series: [series('Ultraboost'), series('Samba'), series('Stan Smith')] },
        { ...name('李宁', 'Li-Ning'), tier: 'mid', region: '北京', share: 1.5, series: [series('超轻21', 'Super Light 21'), series('韦德之道', 'Way of Wade', { priceFactor: 1.6 }), series('赤兔6', 'Chitu 6')] },
        { ...name('安踏', 'Anta'), tier: 'mid', region: '福建', share: 1.5, series: [series('马赫4', 'Mach 4'), series('C202'), series('KT9', 'KT9', { priceFactor: 1.5 })] },
        { ...name('新百伦', 'New Balance'), tier: 'premium', region: '上海', series: [series('574'), series('990v6', '990v6', { priceFactor: 1.5 })] },
        { ...name('特步', 'Xtep'), tier: 'budget', region: '福建', series: [series('160X', '160X', { priceFactor: 1.6 }), series('动力巢', 'Dynamic Foam')] },
        { ...name('鸿星尔克', 'Erke'), tier: 'budget', region: '福建', series: [series('奇弹', 'Qidan'), series('芷境', 'Zhijing')] },
      ],
    },
    {
      id: 'apparel.down-jackets',
      ...name('羽绒服', 'Down jackets'),
      synonyms: ['羽绒衣', '棉服'],
      queryEn: ['down jacket', 'puffer jacket', 'parka'],
      noun: name('羽绒服', 'down jacket'),
      weight: 3,
      price: { median: 900, sigma: 0.4 },
      maxQuantity: 1,
      title: name('{brand} {series} {gender}{length}{noun} {fill} {color} {size}', '{brand} {series} {gender} {length} {noun} {fill} {color} {size}'),
      attributes: [
        GENDER,
        { key: 'length', queryable: true, values: pairs(['短款', 'short'], ['中长款', 'mid-length'], ['长款', 'long']) },
        { key: 'fill', values: [{ ...name('90%白鸭绒', '90% white duck down'), price: 1 }, { ...name('90%白鹅绒', '90% white goose down'), price: 1.3 }] },
        BASIC_COLORS,
        CLOTHING_SIZES,
      ],
      brands: [
        { ...name('波司登', 'Bosideng'), tier: 'mid', region: '江苏', share: 2.5, series: [series('极寒', 'Extreme Cold', { priceFactor: 1.4 }), series('登峰', 'Summit', { priceFactor: 1.8 }), series('轻薄', 'Light')] },
        { ...name('加拿大鹅', 'Canada Goose'), tier: 'premium', region: '上海', series: [series('远征', 'Expedition', { priceFactor: 2.5 }), series('Chilliwack', 'Chilliwack', { priceFactor: 2.2 })] },
        { ...name('优衣库', 'Uniqlo'), tier: 'budget', region: '上海', share: 1.5, series: [series('高级轻型', 'Ultra Light Down'), series('无缝', 'Seamless')] },
        { ...name('雪中飞', 'Snowflying'), tier: 'budget', region: '江苏', series: [series('加厚', 'Thick')] },
        { ...name('鸭鸭', 'Yaya'), tier: 'budget', region: '江西', share: 1.5, series: [series('冰壳', 'Ice Shell'), series('连帽', 'Hooded')] },
        { ...name('蒙口', 'Moncler'), tier: 'premium', region: '上海', series: [series('Maya', 'Maya', { priceFactor: 3 })] },
      ],
    },
  ],
};
