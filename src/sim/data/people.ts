/** Regions, user attributes and content-card templates of the simulated shop. */

/** Provinces (and a few cities each) with a relative share of shoppers. */
export const REGIONS: readonly { province: string; cities: string[]; weight: number }[] = [
  { province: '广东', cities: ['广州', '深圳', '东莞', '佛山'], weight: 10 },
  { province: '浙江', cities: ['杭州', '宁波', '温州'], weight: 7 },
  { province: '江苏', cities: ['南京', '苏州', '无锡'], weight: 7 },
  { province: '上海', cities: ['上海'], weight: 6 },
  { province: '北京', cities: ['北京'], weight: 6 },
  { province: '山东', cities: ['济南', '青岛'], weight: 6 },
  { province: '四川', cities: ['成都', '绵阳'], weight: 5 },
  { province: '河南', cities: ['郑州', '洛阳'], weight: 5 },
  { province: '湖北', cities: ['武汉', '宜昌'], weight: 4 },
  { province: '福建', cities: ['福州', '厦门', '泉州'], weight: 4 },
  { province: '湖南', cities: ['长沙', '株洲'], weight: 4 },
  { province: '河北', cities: ['石家庄', '保定'], weight: 3 },
  { province: '安徽', cities: ['合肥', '芜湖'], weight: 3 },
  { province: '陕西', cities: ['西安'], weight: 3 },
  { province: '重庆', cities: ['重庆'], weight: 3 },
  { province: '辽宁', cities: ['沈阳', '大连'], weight: 3 },
  { province: '天津', cities: ['天津'], weight: 2 },
  { province: '云南', cities: ['昆明'], weight: 2 },
  { province: '江西', cities: ['南昌'], weight: 2 },
  { province: '广西', cities: ['南宁', '桂林'], weight: 2 },
  { province: '黑龙江', cities: ['哈尔滨'], weight: 2 },
  { province: '海南', cities: ['海口', '三亚'], weight: 1 },
  { province: '内蒙古', cities: ['呼和浩特'], weight: 1 },
];

export const GENDERS = [
  { value: 'female', weight: 0.55 },
  { value: 'male', weight: 0.45 },
] as const;

export type Gender = (typeof GENDERS)[number]['value'];

/** Age bands with their share of shoppers and how price-sensitive and pinyin-prone they are. */
export const AGE_BANDS = [
  { value: '18-24', weight: 0.25, priceSensitivity: 0.65, latinInput: 0.35 },
  { value: '25-34', weight: 0.35, priceSensitivity: 0.5, latinInput: 0.3 },
  { value: '35-44', weight: 0.22, priceSensitivity: 0.45, latinInput: 0.2 },
  { value: '45+', weight: 0.18, priceSensitivity: 0.55, latinInput: 0.1 },
] as const;

/**
 * How much a gender leans to each top-level category (by top category id) before a user's own
 * Dirichlet draw; `baby` is doubled for ages 25-44, the parents of small children.
 */
export const TOP_CATEGORY_LEANING: Record<Gender, Record<string, number>> = {
  female: { digital: 1, beauty: 3, apparel: 2.5, food: 1.5, books: 1, home: 1.2, baby: 1, sports: 0.6 },
  male: { digital: 3, beauty: 0.3, apparel: 1.2, food: 1.3, books: 1.2, home: 0.8, baby: 0.5, sports: 1.8 },
};

/**
 * Content-card titles. `{year}`, `{leaf}` (Chinese leaf name), `{leafEn}`, and for reviews `{brand}`,
 * `{series}`, `{brandEn}`, `{seriesEn}` are filled in.
 */
export const CONTENT_TEMPLATES: readonly { format: 'guide' | 'review'; zh: string; en: string }[] = [
  { format: 'guide', zh: '{year} {leaf}选购指南', en: '{year} {leafEn} buying guide' },
  { format: 'guide', zh: '{leaf}怎么选？10款热门{leaf}横评', en: 'How to choose {leafEn}: 10 popular picks compared' },
  { format: 'guide', zh: '新手必看：{leaf}入门攻略', en: "A beginner's guide to {leafEn}" },
  { format: 'guide', zh: '双十一{leaf}清单：这些值得囤', en: "Singles' Day {leafEn} list: what is worth stocking up" },
  { format: 'review', zh: '{brand} {series} 深度评测：值不值得买', en: '{brandEn} {seriesEn} in-depth review: worth buying?' },
  { format: 'review', zh: '{brand} {series} 开箱体验', en: '{brandEn} {seriesEn} unboxing and first impressions' },
];
