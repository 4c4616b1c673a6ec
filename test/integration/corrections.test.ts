import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPartnerCommand } from '../../operator/partnerCommand.js';
import { PartnerKeyFile } from '../../operator/partnerKeys.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { parseWithFeedParser } from '../helpers/feedChecks.js';
import { ninjsSchemaErrors } from '../helpers/ninjsSchema.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const ID = 'corrected-on-the-record';
const FIRST = 'An earlier version named the wrong port.';
const SECOND = 'The vote was 7 <to> 5 & not "unanimous".';
const SECOND_ESCAPED = 'The vote was 7 &lt;to&gt; 5 &amp; not &quot;unanimous&quot;.';

/** Corrections on the real local servers: ingest, correct, and what readers and partners then see. */
describe('corrections through the local server', () => {
  let p: TestPublisher;
  let auth: Record<string, string>;

  const record = (overrides: Record<string, unknown>) =>
    articleRecord({ id: ID, contentHtml: '<p>The whole story, for partners only.</p>', publishedAt: at(0), updatedAt: at(0), ...overrides });
  const item = async (section: string) => {
    const { rss, atom, json } = await p.feeds(section);
    const find = <T extends { id?: string | null }>(items: T[]) => items.find((i) => i.id?.endsWith(`/${ID}`))!;
    return { rss: find(parseWithFeedParser(rss).items), atom: find(parseWithFeedParser(atom).items), json: find(json.items as { id: string; [k: string]: any }[]), rssXml: rss, atomXml: atom };
  };

  beforeAll(async () => {
    const keys = new PartnerKeyFile(join(mkdtempSync(join(tmpdir(), 'corrections-keys-')), 'partner-keys.json'));
    const output = await runPartnerCommand({ command: { action: 'add', partner: 'acme' }, store: keys });
    auth = { authorization: `Bearer ${/^\s{2}([A-Za-z0-9_-]{43})$/m.exec(output)![1]!}` };
    p = await startTestPublisher({
      config: testConfig({ sections: [{ name: 'International', description: 'World news.', fullTextInPublicFeeds: false }, { name: 'Business', description: 'Markets.' }] }),
      partnerKeyFile: keys.file,
      partnerLog: () => undefined,
    });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('a story first goes out without a corrections block', async () => {
    expect((await p.post(record({}))).json.results[0].status).toBe('stored');
    const { rss, atom, json } = await item('international');
    expect(rss.content ?? '').not.toContain('corrections');
    expect(atom.content ?? '').not.toContain('corrections');
    expect(json).toMatchObject({ content_text: expect.any(String), date_modified: new Date(at(0)).toISOString() });
  });

  it('a correction is refused with a field error when it predates publication, and nothing changes', async () => {
    const { status, json } = await p.post(record({ updatedAt: at(5), corrections: [{ at: at(-1), text: FIRST }] }));
    expect(status).toBe(400);
    expect(json.results[0]).toMatchObject({ status: 'error', error: 'invalid', errors: [{ field: 'corrections[0].at', message: 'must not be before publishedAt' }] });
    expect((await item('international')).json.date_modified).toBe(new Date(at(0)).toISOString());
  });

  it('corrected: the three public feeds (summaries only) show the block and move the updated time', async () => {
    const corrections = [
      { at: at(10), text: FIRST },
      { at: at(20), text: SECOND },
    ];
    // The record's updatedAt moves (a new version), and the newest correction is later still.
    expect((await p.post(record({ updatedAt: at(15), corrections }))).json.results[0].status).toBe('stored');
    const { rss, atom, json, rssXml, atomXml } = await item('international');
    const moved = new Date(at(20)).toISOString();
    for (const [name, content] of [['rss', rss.content], ['atom', atom.content], ['json', json.content_html]] as const) {
      expect(content, name).toMatch(/<aside class="corrections"><h2>Corrections<\/h2><p><time datetime="[^"]+">[^<]+<\/time>: An earlier version named the wrong port\.<\/p>/);
      expect(content, name).not.toContain('for partners only');
    }
    // Hostile-looking text is escaped in the bytes (the npm parser decodes what it hands out).
    for (const xml of [rssXml, atomXml]) expect(xml).toContain(SECOND_ESCAPED);
    expect(json.content_html).toContain(SECOND_ESCAPED);
    expect(atom.updated?.toISOString()).toBe(moved);
    expect(rssXml).toContain(`<atom:updated>${moved}</atom:updated>`);
    expect(json.date_modified).toBe(moved);
    expect(json._corrections).toEqual({ items: corrections.map((c) => ({ at: new Date(c.at).toISOString(), text: c.text })) });
    expect(parseWithFeedParser(atomXml).updated?.toISOString()).toBe(moved);
  });

  it('the page says Corrected and when, with the block', async () => {
    const html = await (await p.get('/feeds/international/index.html')).text();
    expect(html).toContain(`<span class="corrected">Corrected <time datetime="${at(20)}">`);
    expect(html).toContain('<aside class="corrections"><h4>Corrections</h4>');
    expect(html).toContain(SECOND_ESCAPED);
  });

  it('partner feeds carry the full text and the block; ninjs too, and validates', async () => {
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const res = await p.get(`/partners/international/${file}`, auth);
      expect(res.status, file).toBe(200);
      const body = await res.text();
      const content = file === 'feed.json' ? JSON.parse(body).items[0].content_html : parseWithFeedParser(body).items[0]!.content;
      expect(content, file).toMatch(/^<p>The whole story, for partners only\.<\/p><aside class="corrections">/);
      expect(content, file).toContain(FIRST);
    }
    const res = await p.get(`/partners/international/ninjs/${ID}.json`, auth);
    expect(res.status).toBe(200);
    const ninjs = (await res.json()) as { bodies: { value: string }[]; descriptions: { role: string; value: string }[]; versionCreated: string };
    expect(ninjsSchemaErrors(ninjs)).toEqual([]);
    expect(ninjs.bodies[0]!.value).toMatch(/^<p>The whole story, for partners only\.<\/p><aside class="corrections">/);
    expect(ninjs.descriptions.filter((d) => d.role === 'correction').map((d) => d.value)).toEqual([FIRST, SECOND]);
    expect(ninjs.versionCreated).toBe(new Date(at(20)).toISOString());
    const listing = await (await p.get('/partners/international/ninjs.json', auth)).json();
    expect(ninjsSchemaErrors(listing)).toEqual([]);
  });
});
