import { Rng } from '../core/index.js';
import { interactionsFromRecords, type InteractionRecord, type Interactions } from './interactions.js';

/**
 * Test data with planted structure: users and items fall into `groups` taste groups (user u and item i
 * are in groups u % groups and i % groups); each user picks `perUser` distinct items of their own group,
 * skewed towards the group's first items (Zipf-like), so global popularity mixes every group while a
 * model that learns the groups can do much better.
 */
export function plantedInteractions(options: { users: number; items: number; groups: number; perUser: number; seed: string }): Interactions {
  const { users, items, groups, perUser, seed } = options;
  const rng = new Rng(seed);
  const records: InteractionRecord[] = [];
  for (let u = 0; u < users; u++) {
    const group = u % groups;
    const own = Array.from({ length: Math.ceil((items - group) / groups) }, (_, n) => group + n * groups);
    const picked = new Set<number>();
    while (picked.size < Math.min(perUser, own.length)) picked.add(own[rng.weightedIndex(own.map((_, n) => 1 / (n + 1)))] as number);
    for (const i of picked) records.push({ userId: `u${u}`, itemId: `i${i}` });
  }
  // Every item appears at least once in the id map, in index order, so item `i${n}` has index n.
  const data = interactionsFromRecords([...Array.from({ length: items }, (_, n) => ({ userId: 'u0', itemId: `i${n}` })), ...records]);
  const skip = items;
  return { ...data, users: data.users.slice(skip), items: data.items.slice(skip) };
}
