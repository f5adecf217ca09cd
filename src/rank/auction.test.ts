import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import { runAuction } from './auction.js';

describe('runAuction', () => {
  it('orders by eCPM, not by bid, and charges each winner the next eCPM over its own pCTR', () => {
    const winners = runAuction(
      [
        { docId: 1, pCtr: 0.01, bid: 5 }, // eCPM 50
        { docId: 2, pCtr: 0.05, bid: 2 }, // eCPM 100: a lower bid, but clicked more
        { docId: 3, pCtr: 0.02, bid: 1 }, // eCPM 20
      ],
      { reservePrice: 10, maxWinners: 2, increment: 0.01 },
    );
    expect(winners.map((w) => w.docId)).toEqual([2, 1]);
    expect(winners[0]?.cpc).toBeCloseTo(0.05 / 0.05 + 0.01, 12); // pays 1.01 of its 2.00 bid
    expect(winners[1]?.cpc).toBeCloseTo(0.02 / 0.01 + 0.01, 12);
  });

  it('drops ads under the reserve and charges the last winner the reserve', () => {
    // eCPMs 100 and 10 against a reserve of 50: the second never shows; the first pays 50 / (1000 * 0.1).
    const winners = runAuction([{ docId: 1, pCtr: 0.1, bid: 1 }, { docId: 2, pCtr: 0.01, bid: 1 }], { reservePrice: 50, maxWinners: 3, increment: 0 });
    expect(winners.map((w) => [w.docId, w.cpc])).toEqual([[1, 0.5]]);
  });

  it('never charges more than the bid, and winners come in eCPM order (property)', () => {
    const ad = fc.record({ pCtr: fc.double({ min: 0.0001, max: 1, noNaN: true }), bid: fc.double({ min: 0, max: 100, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(ad, { maxLength: 20 }), fc.double({ min: 0, max: 1000, noNaN: true }), (ads, reserve) => {
        const winners = runAuction(ads.map((a, docId) => ({ ...a, docId })), { reservePrice: reserve, maxWinners: 5, increment: 0.01 });
        for (let i = 0; i < winners.length; i++) {
          const w = winners[i]!;
          expect(w.cpc).toBeLessThanOrEqual(w.bid + 1e-12);
          expect(w.eCpm).toBeGreaterThanOrEqual(reserve);
          if (i > 0) expect(w.eCpm).toBeLessThanOrEqual(winners[i - 1]!.eCpm);
        }
      }),
    );
  });

  it('refuses a negative bid or a pCTR above 1', () => {
    expect(() => runAuction([{ docId: 1, pCtr: 1.5, bid: 1 }])).toThrow(InvalidArgumentError);
    expect(() => runAuction([{ docId: 1, pCtr: 0.5, bid: -1 }])).toThrow(/bid -1/);
  });
});
