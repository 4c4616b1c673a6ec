import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../lambdas/core/concurrency.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('forEachConcurrently: the one bounded-concurrency loop', () => {
  it('runs every item once, starting them in list order, never more than the limit at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    await forEachConcurrently([...Array(20).keys()], 3, async (item, index) => {
      expect(index).toBe(item);
      started.push(item);
      peak = Math.max(peak, ++inFlight);
      await tick();
      inFlight--;
    });
    expect(started).toEqual([...Array(20).keys()]);
    expect(peak).toBe(3);
  });

  it('after a failure starts nothing more, lets the started ones finish, then throws the first failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = forEachConcurrently([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 0) throw new Error('item 0 failed');
      await tick();
      if (item === 1) throw new Error('item 1 failed too');
      finished.push(item);
    });
    await expect(run).rejects.toThrow('item 0 failed');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([]);
  });

  it('does nothing for an empty list', async () => {
    await expect(forEachConcurrently([], 8, async () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
