import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleIdFromFileName, contentMediaDocuments, MediaFileError, parseContentFile, readContentRecord } from '../../lambdas/core/content/index.js';

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

/** Width and height of a PNG or baseline/progressive JPEG, read from its header. */
function imageSize(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes);
  if (b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  for (let i = 2; i < b.length; ) {
    const marker = b[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  throw new Error('not a PNG or JPEG');
}

describe('media shipped with content/', () => {
  const ORIGIN = 'https://feeds.test.example';

  it('resolves a media/ lead image and Markdown images against the feeds origin, and nothing else', () => {
    const text = ['---', 'title: T', 'image:', '  url: media/a/photo.jpg', '  alt: A', '---', '![inline](media/a/inline.png) ![far](https://elsewhere.example/x.png)'].join('\n');
    const record = parseContentFile('content/x.md', text, { feedsOrigin: `${ORIGIN}/` }) as { image: { url: string }; contentHtml: string };
    expect(record.image.url).toBe(`${ORIGIN}/media/a/photo.jpg`);
    expect(record.contentHtml).toContain(`src="${ORIGIN}/media/a/inline.png"`);
    expect(record.contentHtml).toContain('src="https://elsewhere.example/x.png"');
    const json = parseContentFile('content/y.json', JSON.stringify({ image: { url: 'media/y.png', alt: '' } }), { feedsOrigin: ORIGIN });
    expect(json).toEqual({ id: 'y', image: { url: `${ORIGIN}/media/y.png`, alt: '' } });
    // Not media references: left for the validator to judge.
    for (const url of ['media/../secret.jpg', 'media/Upper.JPG', '/media/x.jpg', 'https://x.example/media/a.jpg']) {
      expect((parseContentFile('z.json', JSON.stringify({ image: { url } }), { feedsOrigin: ORIGIN }) as { image: { url: string } }).image.url).toBe(url);
    }
  });

  it('reports a media/ reference it cannot resolve (no feeds origin given) against image.url', () => {
    const read = readContentRecord('x.json', JSON.stringify({ image: { url: 'media/x.jpg', alt: '' } }));
    expect(read).toEqual({ ok: false, id: 'x', errors: [{ field: 'image.url', message: expect.stringContaining('no public feeds origin') }] });
  });

  it('lists the media of content/media with path, type and bytes; the seed image exists and matches its record', () => {
    const docs = contentMediaDocuments('content');
    const seed = parseContentFile('content/international-putin-kursk-visit.md', readFileSync('content/international-putin-kursk-visit.md', 'utf8'), { feedsOrigin: ORIGIN }) as {
      image: { url: string; width: number; height: number };
    };
    const path = seed.image.url.slice(ORIGIN.length + 1);
    const doc = docs.find((d) => d.path === path);
    expect(doc, `${path} is not in content/media`).toBeDefined();
    expect(doc!.contentType).toBe('image/jpeg');
    expect(Buffer.from(doc!.body).equals(readFileSync(`content/${path}`))).toBe(true);
    expect(imageSize(doc!.body)).toEqual({ width: seed.image.width, height: seed.image.height });
    for (const d of docs) expect(d.path).toMatch(/^media\/[a-z0-9/._-]+\.(jpe?g|png|gif|webp|avif)$/);
  });

  it('refuses media it could not serve as named: unsafe names, unknown types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'content-media-'));
    try {
      expect(contentMediaDocuments(dir)).toEqual([]);
      mkdirSync(join(dir, 'media', 'sub'), { recursive: true });
      writeFileSync(join(dir, 'media', 'sub', 'b.png'), 'png');
      writeFileSync(join(dir, 'media', 'a.gif'), 'gif');
      expect(contentMediaDocuments(dir).map((d) => [d.path, d.contentType, Buffer.from(d.body).toString()])).toEqual([
        ['media/a.gif', 'image/gif', 'gif'],
        ['media/sub/b.png', 'image/png', 'png'],
      ]);
      writeFileSync(join(dir, 'media', 'notes.txt'), 'x');
      expect(() => contentMediaDocuments(dir)).toThrow(new MediaFileError('content/media/notes.txt: not a shipped media type (jpg, jpeg, png, gif, webp, avif)'));
      rmSync(join(dir, 'media', 'notes.txt'));
      writeFileSync(join(dir, 'media', 'My Photo.jpg'), 'x');
      expect(() => contentMediaDocuments(dir)).toThrow(/content\/media\/My Photo\.jpg: use lower-case letters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
