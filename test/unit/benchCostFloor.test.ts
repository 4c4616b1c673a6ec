import { describe, expect, it } from 'vitest';
import { costFloor, DOCUMENTS_PER_FEED } from '../../bench/lib/report.js';
import { PRICES } from '../../bench/lib/pricing.js';

/** The floor the bench report states for "10,000 a day, one at a time": what PRODUCT.md's documents alone cost. */
describe('bench: the cost floor of a change one at a time', () => {
  it('counts three files and a page for each feed a change touches, at the dated S3 PUT price, plus the other lines', () => {
    expect(DOCUMENTS_PER_FEED).toBe(4);
    const floor = costFloor({ feeds: 6, changesPerDay: 10_000, daysPerMonth: 30, perThousandPut: PRICES.s3.perThousandPut, otherLinesUsd: 16.38 });
    expect(floor.puts).toBe(24);
    // 24 PUTs × 300,000 changes a month = 7.2 M PUTs at $0.005 per 1,000.
    expect(PRICES.s3.perThousandPut).toBe(0.005);
    expect(floor.s3Usd).toBeCloseTo(36, 6);
    expect(floor.totalUsd).toBeCloseTo(52.38, 6);
  });

  it('falls with the feeds per article: an article with one tag and no author feeds touches 2', () => {
    const floor = costFloor({ feeds: 2, changesPerDay: 10_000, daysPerMonth: 30, perThousandPut: 0.005, otherLinesUsd: 0 });
    expect(floor).toEqual({ puts: 8, s3Usd: 12, totalUsd: 12 });
  });
});
