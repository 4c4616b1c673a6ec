import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleRecord, at } from '../helpers/factories.js';
import { expectServedFeedsToMatch } from '../helpers/expectedFeeds.js';
import { localClients } from '../helpers/localAws.js';
import { startTestPublisher } from '../helpers/testPublisher.js';

const SECTIONS = ['International', 'Business', 'Science'];

/** Version v of story i: content is a function of (i, v), so equal updatedAt always means equal content. */
function version(i: number, v: number) {
  return articleRecord({
    id: `prop-${i}`,
    title: `Story ${i} version ${v}`,
    summary: `Summary of story ${i}, version ${v}.`,
    contentHtml: `<p>Body of story ${i}, version ${v}.</p>`,
    section: SECTIONS[(i + v) % 3],
    status: (i + v) % 5 === 4 ? 'retracted' : 'published',
    publishedAt: at(i),
    updatedAt: at(i + v * 100),
  });
}

const operations = fc.record({
  puts: fc.array(fc.record({ i: fc.integer({ min: 0, max: 5 }), v: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 24 }),
  concurrency: fc.integer({ min: 1, max: 6 }),
  deletes: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
});

/** Convergence as a property: any sequence of versions, moves and retractions, applied with any concurrency, ends in the reference rendering. */
describe('convergence (property)', () => {
  it('holds for random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(operations, async ({ puts, concurrency, deletes }) => {
        const p = await startTestPublisher({ clients: localClients(), poller: { batchingWindowMs: 5, batchSize: 7 } });
        try {
          const records = puts.map(({ i, v }) => version(i, v));
          const assertFeedsMatch = async (sent: unknown[], retracted: string[]) => {
            await p.poller.settle();
            await expectServedFeedsToMatch(p, sent, retracted);
          };
          // After every concurrent group, not only at the end: each state must be fully published.
          for (let start = 0; start < records.length; start += concurrency) {
            await Promise.all(records.slice(start, start + concurrency).map((r) => p.post(r)));
            await assertFeedsMatch(records.slice(0, start + concurrency), []);
          }
          const sent = new Set(puts.map(({ i }) => `prop-${i}`));
          await Promise.all(deletes.map((i) => p.retract(`prop-${i}`)));
          await assertFeedsMatch(records, deletes.map((i) => `prop-${i}`).filter((id) => sent.has(id)));
        } finally {
          await p.close();
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
