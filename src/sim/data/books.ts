/** 图书 (books): novels, programming, children's books. Publishers play the part of brands, titles of series. */

import { name, pairs, series, type AttributeSpec, type TopCategorySpec } from './types.js';

const BINDING: AttributeSpec = {
  key: 'binding',
  values: [
    { ...name('平装', 'paperback'), price: 1 },
    { ...name('精装', 'hardcover'), price: 1.6 },
    { ...name('典藏套装', 'collector box set'), price: 2.5 },
  ],
};

export const BOOKS: TopCategorySpec = {
  id: 'books',
  ...name('图书', 'Books'),
  resellers: [
    { name: '博文书城专营店', region: '北京' },
    { name: '新华书店图书专营店', region: '江苏' },
    { name: '墨香图书专营店', region: '上海' },
  ],
  leaves: [
    {
      id: 'books.novels',
      ...name('小说', 'Novels'),
      synonyms: ['文学小说', '长篇小说'],
      queryEn: ['novel', 'fiction'],
      noun: name('小说', 'novel'),
      weight: 4,
      price: { median: 45, sigma: 0.25 },
      maxQuantity: 2,
      seriesFirst: true,
      title: name('{series} {extra} 著 {binding} {brand}', '{series} by {extra}, {binding}, {brand}'),
      attributes: [BINDING],
      brands: [
        { ...name('重庆出版社', 'Chongqing Publishing House'), tier: 'mid', region: '重庆', series: [series('三体', 'The Three-Body Problem', { extra: name('刘慈欣', 'Liu Cixin') })] },
        {
          ...name('作家出版社', 'Writers Publishing House'),
          tier: 'mid',
          region: '北京',
          series: [series('活着', 'To Live', { extra: name('余华', 'Yu Hua') }), series('许三观卖血记', 'Chronicle of a Blood Merchant', { extra: name('余华', 'Yu Hua') })],
        },
        {
          ...name('南海出版公司', 'Thinkingdom'),
          tier: 'mid',
          region: '海南',
          series: [
            series('百年孤独', 'One Hundred Years of Solitude', { extra: name('加西亚·马尔克斯', 'Gabriel García Márquez') }),
            series('解忧杂货店', 'The Miracles of the Namiya General Store', { extra: name('东野圭吾', 'Keigo Higashino') }),
          ],
        },
        {
          ...name('人民文学出版社', "People's Literature Publishing House"),
          tier: 'mid',
          region: '北京',
          series: [series('红楼梦', 'Dream of the Red Chamber', { extra: name('曹雪芹', 'Cao Xueqin') }), series('围城', 'Fortress Besieged', { extra: name('钱钟书', 'Qian Zhongshu') })],
        },
        { ...name('北京十月文艺出版社', 'Beijing October Arts'), tier: 'mid', region: '北京', series: [series('平凡的世界', 'Ordinary World', { extra: name('路遥', 'Lu Yao') })] },
      ],
    },
    {
      id: 'books.programming',
      ...name('编程', 'Programming'),
      synonyms: ['编程书', '计算机书籍', '程序设计'],
      queryEn: ['programming book', 'programming'],
      noun: name('编程书', 'programming book'),
      weight: 3,
      price: { median: 90, sigma: 0.25 },
      maxQuantity: 1,
      seriesFirst: true,
      title: name('{series} {extra} 著 {binding} {brand}', '{series} by {extra}, {binding}, {brand}'),
      attributes: [BINDING],
      brands: [
        {
          ...name('机械工业出版社', 'China Machine Press'),
          tier: 'mid',
          region: '北京',
          share: 1.5,
          series: [
            series('深入理解计算机系统', "Computer Systems: A Programmer's Perspective", { extra: name('兰德尔·布莱恩特', 'Randal E. Bryant') }),
            series('算法导论', 'Introduction to Algorithms', { extra: name('托马斯·科尔曼', 'Thomas H. Cormen') }),
          ],
        },
        {
          ...name('人民邮电出版社', 'Posts & Telecom Press'),
          tier: 'mid',
          region: '北京',
          share: 1.5,
          series: [
            series('Python编程：从入门到实践', 'Python Crash Course', { extra: name('埃里克·马瑟斯', 'Eric Matthes') }),
            series('JavaScript高级程序设计', 'Professional JavaScript for Web Developers', { extra: name('马特·弗里斯比', 'Matt Frisbie') }),
          ],
        },
        { ...name('电子工业出版社', 'PHEI'), tier: 'mid', region: '北京', series: [series('代码大全', 'Code Complete', { extra: name('史蒂夫·迈克康奈尔', 'Steve McConnell') })] },
        {
          ...name("O'Reilly"),
          tier: 'premium',
          region: '北京',
          englishTitleShare: 1,
          series: [
            series('Designing Data-Intensive Applications', 'Designing Data-Intensive Applications', { extra: name('Martin Kleppmann') }),
            series('Programming TypeScript', 'Programming TypeScript', { extra: name('Boris Cherny') }),
          ],
        },
        { ...name('Manning'), tier: 'premium', region: '上海', englishTitleShare: 1, series: [series('Rust in Action', 'Rust in Action', { extra: name('Tim McNamara') })] },
      ],
    },
    {
      id: 'books.children',
      ...name('童书', "Children's books"),
      synonyms: ['儿童绘本', '绘本', '儿童读物'],
      queryEn: ["children's book", 'picture book', 'kids book'],
      noun: name('童书', "children's book"),
      weight: 3,
      price: { median: 60, sigma: 0.45 },
      maxQuantity: 2,
      seriesFirst: true,
      title: name('{series} {extra} 著 {age}{noun} {binding} {brand}', '{series} by {extra}, {noun} for {age}, {binding}, {brand}'),
      attributes: [{ key: 'age', queryable: true, values: pairs(['0-3岁', 'ages 0-3'], ['3-6岁', 'ages 3-6'], ['6-12岁', 'ages 6-12']) }, BINDING],
      brands: [
        {
          ...name('接力出版社', 'Jieli Publishing House'),
          tier: 'mid',
          region: '广西',
          series: [series('小猪佩奇', 'Peppa Pig', { extra: name('英国EOne公司', 'eOne') }), series('神奇校车', 'The Magic School Bus', { extra: name('乔安娜·柯尔', 'Joanna Cole') })],
        },
        { ...name('浙江少年儿童出版社', "Zhejiang Juvenile and Children's Publishing House"), tier: 'mid', region: '浙江', series: [series('米小圈上学记', 'Mi Xiaoquan Goes to School', { extra: name('北猫', 'Bei Mao') })] },
        { ...name('中信出版社', 'CITIC Press'), tier: 'mid', region: '北京', series: [series('这就是物理', 'This Is Physics', { extra: name('郭翔', 'Guo Xiang') })] },
        { ...name('二十一世纪出版社', '21st Century Publishing House'), tier: 'mid', region: '江西', series: [series('不一样的卡梅拉', 'Drôle de Camille', { extra: name('克利斯提昂·约里波瓦', 'Christian Jolibois') })] },
        { ...name('明天出版社', 'Tomorrow Publishing House'), tier: 'mid', region: '山东', series: [series('猜猜我有多爱你', 'Guess How Much I Love You', { extra: name('山姆·麦克布雷尼', 'Sam McBratney') })] },
      ],
    },
  ],
};
