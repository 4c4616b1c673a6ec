import { describe, expect, it } from 'vitest';
import { matchesAnyFilter, matchesFilterPattern, regenerationFilterPatterns } from '../../lambdas/core/stream/index.js';
import { targetsOfChange } from '../../lambdas/core/feeds/index.js';
import { articleChangeOf } from '../../lambdas/handlers/streamRecords.js';
import { articleStreamRecord as record, testConfig } from '../helpers/factories.js';
import { articleStreamRecord } from '../helpers/factories.js';

const patterns = regenerationFilterPatterns(['international', 'business']);

describe('regeneration filter patterns', () => {
  it('keep article records of configured sections, by old or new image', () => {
    expect(matchesAnyFilter(articleStreamRecord({ id: 'a', newSection: 'international' }), patterns)).toBe(true);
    expect(matchesAnyFilter(articleStreamRecord({ id: 'a', oldSection: 'business', newSection: 'elsewhere' }), patterns)).toBe(true);
    expect(matchesAnyFilter(articleStreamRecord({ id: 'a', oldSection: 'business', eventName: 'REMOVE' }), patterns)).toBe(true);
  });

  it('drop other sections and feed-entry items', () => {
    expect(matchesAnyFilter(articleStreamRecord({ id: 'a', newSection: 'sports' }), patterns)).toBe(false);
    const entry = articleStreamRecord({ id: 'a', newSection: 'international' });
    entry.dynamodb!.Keys = { pk: { S: 'SECTION#international' }, sk: { S: '001#a' } };
    expect(matchesAnyFilter(entry, patterns)).toBe(false);
  });

  it('implement the grammar subset they use: AND of keys, OR of rules, prefix, exists', () => {
    expect(matchesFilterPattern({ a: { b: 'x' } }, { a: { b: ['y', 'x'] } })).toBe(true);
    expect(matchesFilterPattern({ a: { b: 'x' } }, { a: { b: [{ prefix: 'z' }] } })).toBe(false);
    expect(matchesFilterPattern({ a: {} }, { a: { b: [{ exists: false }] } })).toBe(true);
    expect(matchesFilterPattern({ a: { b: { c: 1 } } }, { a: { b: ['x'] } })).toBe(false);
  });
});

describe('feed targets of a stream record', () => {
  const config = testConfig();
  const touched = (r: ReturnType<typeof record>) => targetsOfChange(config, articleChangeOf(r)!).map((t) => t.key);

  it('names both sections of a move and one for an edit in place', () => {
    expect(touched(record({ id: 'm', oldSection: 'international', newSection: 'business' }))).toEqual(['section/international', 'section/business']);
    expect(touched(record({ id: 'e', oldSection: 'international', newSection: 'international' }))).toEqual(['section/international']);
    expect(touched(record({ id: 'r', oldSection: 'business', eventName: 'REMOVE' }))).toEqual(['section/business']);
  });

  it('ignores items that are not articles, and sections that are not configured', () => {
    const entry = record({ id: 'a', newSection: 'international' });
    entry.dynamodb!.Keys = { pk: { S: 'SECTION#international' }, sk: { S: '001#a' } };
    expect(articleChangeOf(entry)).toBeUndefined();
    expect(touched(record({ id: 's', newSection: 'sports' }))).toEqual([]);
  });
});
