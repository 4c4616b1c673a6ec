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
    expect(errors).toEqual({
      id: 'must be a slug: lower-case letters, digits and hyphens, 1-128 chars, starting with a letter or digit',
      title: 'must not be empty',
      url: 'must be an absolute https:// URL',
      section: 'must be a configured section (International, Business, Science)',
      authors: 'must name at least one author',
      'image.url': 'must be an absolute https:// URL',
      publishedAt: 'must be an ISO 8601 date-time with an offset, e.g. 2025-05-20T18:30:00+05:30',
      extra: 'is not a field of the article record',
    });
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

  it('writes each message for an editor, once per field', () => {
    const errors = validator.parse(
      articleRecord({
        title: 5,
        summary: 'x'.repeat(1001),
        contentHtml: 5,
        tags: ['a'.repeat(101)],
        authors: [{ name: '', url: 'ftp://x.example/' }],
        image: { url: 'javascript:alert(1)', alt: 'x', width: 0, height: 1.5, length: -3 },
        status: 'gone',
      }),
    );
    if (errors.ok) throw new Error('expected errors');
    expect(errors.errors).toEqual([
      { field: 'title', message: 'must be text (a JSON string)' },
      { field: 'summary', message: 'must be at most 1,000 characters' },
      { field: 'contentHtml', message: 'must be HTML text (a JSON string)' },
      { field: 'authors[0].name', message: 'must not be empty' },
      { field: 'authors[0].url', message: 'must be an absolute http(s):// URL' },
      { field: 'tags[0]', message: 'must be at most 100 characters' },
      { field: 'image.url', message: 'must be an absolute https:// URL' },
      { field: 'image.width', message: 'must be at least 1 pixel' },
      { field: 'image.height', message: 'must be a whole number of pixels' },
      { field: 'image.length', message: 'must be at least 1 byte' },
      { field: 'status', message: 'must be "published" or "retracted"' },
    ]);
  });

  it('normalizes every URL once (WHATWG serialization), refuses credentials and over-long URLs', () => {
    const result = validator.parse(
      articleRecord({
        url: 'HTTPS://News.Test.Example:443/stories/a b/"><script>x',
        authors: [{ name: 'Ann', url: 'http://News.Test.Example/ann/../authors/ann' }],
        image: { url: 'https://news.test.example/images/é.jpg', alt: 'x' },
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.article.url).toBe('https://news.test.example/stories/a%20b/%22%3E%3Cscript%3Ex');
    expect(result.article.authors[0]!.url).toBe('http://news.test.example/authors/ann');
    expect(result.article.image!.url).toBe('https://news.test.example/images/%C3%A9.jpg');
    expect(errorsOf(articleRecord({ url: 'https://user:pass@news.test.example/x' }))).toEqual({ url: 'must not contain a user name or password' });
    expect(errorsOf(articleRecord({ image: { url: 'https://user@news.test.example/x.jpg', alt: '' } }))).toEqual({ 'image.url': 'must not contain a user name or password' });
    const long = `https://news.test.example/${'a'.repeat(2048)}`;
    expect(errorsOf(articleRecord({ url: long }))).toEqual({ url: 'must be at most 2,048 characters' });
    expect(errorsOf(articleRecord({ url: 'https://localhost/x' }))).toEqual({ url: 'must be an absolute https:// URL' });
  });

  it('keeps an image byte length when given', () => {
    const result = validator.parse(articleRecord({ image: { url: 'https://news.test.example/a.jpg', alt: 'x', length: 12345 } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.article.image).toMatchObject({ length: 12345, type: 'image/jpeg' });
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
