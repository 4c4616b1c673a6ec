import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleIdFromFileName, parseContentFile } from '../../lambdas/core/content/index.js';

describe('content files', () => {
  it('turns Markdown with front matter into a record, the body into HTML and the file name into the id', () => {
    const record = parseContentFile(
      'content/my-story.md',
      ['---', 'title: My story', 'publishedAt: 2025-05-20T12:00:00+05:30', 'tags: [One, Two]', '---', 'Hello *world*.', '', '- a list'].join('\n'),
    ) as Record<string, unknown>;
    expect(record).toMatchObject({ id: 'my-story', title: 'My story', tags: ['One', 'Two'] });
    // YAML reads an unquoted timestamp as a Date; the record gets the same instant as ISO text.
    expect(record['publishedAt']).toBe('2025-05-20T06:30:00.000Z');
    expect(record['contentHtml']).toBe('<p>Hello <em>world</em>.</p>\n<ul>\n<li>a list</li>\n</ul>\n');
  });

  it('reads JSON records, letting an explicit id win over the file name', () => {
    expect(parseContentFile('x/from-name.json', '{"title":"T"}')).toEqual({ id: 'from-name', title: 'T' });
    expect(parseContentFile('x/from-name.json', '{"id":"explicit","title":"T"}')).toEqual({ id: 'explicit', title: 'T' });
    expect(articleIdFromFileName('/a/b/c.MD')).toBe('c');
  });

  it('parses the seed article file', () => {
    const file = 'content/international-putin-kursk-visit.md';
    const record = parseContentFile(file, readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ id: 'international-putin-kursk-visit', section: 'International', publishedAt: '2025-05-20T12:00:00+05:30' });
    expect(record['contentHtml']).toMatch(/^<p>IIE DIGITAL DESK : Russian President Vladimir Putin/);
  });
});
