import { describe, expect, it } from 'vitest';
import { newsSitemapTouchedBy } from '../../lambdas/core/publish/index.js';
import { articleChangeOf } from '../../lambdas/handlers/streamRecords.js';
import { articleRecord, articleStreamRecord } from '../helpers/factories.js';

const base = { ...articleRecord({ id: 'a1' }), status: 'published' };
const doc = (overrides: Record<string, unknown> = {}) => ({ ...base, ...overrides });
const touched = (options: Omit<Parameters<typeof articleStreamRecord>[0], 'id'>) => newsSitemapTouchedBy(articleChangeOf(articleStreamRecord({ id: 'a1', ...options }))!);

/** The stream's routing to the news sitemap: only changes that can change its bytes republish it. */
describe('which changes touch the news sitemap', () => {
  const both = { oldSection: 'international', newSection: 'international' };

  it('an edit of the body, summary, tags or image does not', () => {
    expect(touched({ ...both, oldDoc: doc(), newDoc: doc({ summary: 'Other.', contentHtml: '<p>Other.</p>', tags: ['X'], updatedAt: '2025-06-02T00:00:00Z' }) })).toBe(false);
  });

  it.each([
    ['its title', { title: 'A new title' }],
    ['its publication time', { publishedAt: '2025-06-01T09:00:00Z' }],
    ['its URL', { url: 'https://news.example.com/elsewhere' }],
    ['its language', { language: 'fr' }],
  ])('a change of %s does', (_, change) => {
    expect(touched({ ...both, oldDoc: doc(), newDoc: doc(change) })).toBe(true);
  });

  it('a retraction, a move to another section, a new or a removed article do', () => {
    expect(touched({ ...both, oldDoc: doc(), newDoc: doc(), oldStatus: 'published', newStatus: 'retracted' })).toBe(true);
    expect(touched({ oldSection: 'international', newSection: 'business', oldDoc: doc(), newDoc: doc() })).toBe(true);
    expect(touched({ newSection: 'international', newDoc: doc() })).toBe(true);
    expect(touched({ oldSection: 'international', oldDoc: doc(), eventName: 'REMOVE' })).toBe(true);
  });

  it('an image without a readable stored document does (unknown counts as changed)', () => {
    expect(touched(both)).toBe(true);
    expect(touched({ ...both, oldDoc: doc(), newDoc: undefined })).toBe(true);
  });
});
