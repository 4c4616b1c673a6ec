import { describe, expect, it } from 'vitest';
import { ArticleValidator, contentHash, decideVersion } from '../../lambdas/core/article/index.js';
import { articleRecord, testConfig } from '../helpers/factories.js';

const validator = new ArticleValidator(testConfig());

function errorsOf(record: unknown) {
  const result = validator.parse(record);
  if (result.ok) throw new Error('expected the record to be rejected');
  return Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

describe('ArticleValidator', () => {
  it('accepts a valid record and normalizes it', () => {
    const result = validator.parse(articleRecord({ id: 'a-story', section: 'international', tags: ['A', 'B', 'A'] }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.article).toMatchObject({ id: 'a-story', section: 'International', sectionSlug: 'international', tags: ['A', 'B'], status: 'published' });
    expect(result.article.image?.type).toBe('image/jpeg');
  });

  it('names each offending field with its own message', () => {
    const errors = errorsOf(
      articleRecord({
        id: 'Not A Slug',
        title: '',
        url: 'http://insecure.example/x',
        section: 'Sports',
        authors: [],
        publishedAt: '2025-05-20 12:00',
        image: { url: 'javascript:alert(1)', alt: 'x' },
        extra: 1,
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(['(record)', 'authors', 'id', 'image.url', 'publishedAt', 'section', 'title', 'url'].sort());
    expect(errors['section']).toContain('International, Business, Science');
    expect(errors['url']).toContain('https://');
    expect(errors['(record)']).toMatch(/extra/);
  });

  it('reports missing fields as required', () => {
    const { title: _title, ...record } = articleRecord();
    expect(errorsOf(record)).toEqual({ title: 'is required' });
  });

  it('rejects updatedAt before publishedAt, dates without offset, image/jpg and oversized bodies', () => {
    expect(errorsOf(articleRecord({ updatedAt: '2025-05-19T00:00:00Z' }))).toHaveProperty('updatedAt', 'must not be before publishedAt');
    expect(errorsOf(articleRecord({ updatedAt: '2025-05-21T00:00:00' }))).toHaveProperty('updatedAt');
    expect(errorsOf(articleRecord({ image: { url: 'https://x.example/a.jpg', alt: '', type: 'image/jpg' } }))).toHaveProperty('image.type');
    expect(errorsOf(articleRecord({ contentHtml: 'x'.repeat(256 * 1024 + 1) }))).toHaveProperty('contentHtml');
    expect(errorsOf(articleRecord({ tags: ['ok', 'a <b> tag'] }))).toHaveProperty('tags[1]');
  });

  it('rejects non-objects as a whole', () => {
    expect(errorsOf('nope')).toEqual({ '(record)': 'must be a JSON object' });
    expect(errorsOf(null)).toEqual({ '(record)': 'must be a JSON object' });
  });

  it('sanitizes HTML on ingest: no script, iframe, handlers or javascript: links; relative links made absolute', () => {
    const result = validator.parse(
      articleRecord({
        url: 'https://news.test.example/stories/x',
        contentHtml:
          '<p onclick="steal()">Hi<script>alert(1)</script></p><iframe src="https://evil.example"></iframe>' +
          '<a href="javascript:alert(1)">bad</a> <a href="/related">rel</a><img src="pic.png" onerror="x()"><style>p{}</style>',
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const html = result.article.contentHtml;
    expect(html).not.toMatch(/script|iframe|onclick|onerror|javascript:|style/i);
    expect(html).toContain('<a href="https://news.test.example/related">rel</a>');
    expect(html).toContain('<img src="https://news.test.example/stories/pic.png" />');
    expect(html).toContain('<p>Hi</p>');
  });

  it('drops XML-invalid control characters from text', () => {
    const result = validator.parse(articleRecord({ title: 'Bad\u0000 \u0007title\uFFFE', summary: 'x\u001by' }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.article.title).toBe('Bad title');
    expect(result.article.summary).toBe('xy');
  });
});

describe('version rules', () => {
  const stamp = (updatedAtMs: number, hash: string) => ({ updatedAtMs, contentHash: hash });
  it('writes new and newer, ignores older, no-ops identical, rejects conflicts', () => {
    expect(decideVersion(undefined, stamp(1, 'a'))).toBe('write');
    expect(decideVersion(stamp(1, 'a'), stamp(2, 'b'))).toBe('write');
    expect(decideVersion(stamp(2, 'a'), stamp(1, 'b'))).toBe('ignored-older');
    expect(decideVersion(stamp(2, 'a'), stamp(2, 'a'))).toBe('unchanged');
    expect(decideVersion(stamp(2, 'a'), stamp(2, 'b'))).toBe('conflict');
  });

  it('hashes equal content equally and different content differently', () => {
    const parse = (r: unknown) => {
      const p = validator.parse(r);
      if (!p.ok) throw new Error('invalid');
      return p.article;
    };
    const record = articleRecord();
    expect(contentHash(parse(record))).toBe(contentHash(parse({ ...record })));
    expect(contentHash(parse(record))).not.toBe(contentHash(parse({ ...record, title: 'Changed' })));
  });
});
