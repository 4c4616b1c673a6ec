import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerKeyFile } from '../../operator/partnerKeys.js';
import { runPartnerCommand } from '../../operator/partnerCommand.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

/** `npm run partner -- add NAME` against the key file; returns the key it printed once. */
async function addPartner(keys: PartnerKeyFile, partner: string): Promise<string> {
  const output = await runPartnerCommand({ command: { action: 'add', partner }, store: keys });
  return /^\s{2}([A-Za-z0-9_-]{43})$/m.exec(output)![1]!;
}

/** Partner feeds through the local server: the deployed CloudFront Function decides, keys from a local file. */
describe('partner syndication through the local server', () => {
  let p: TestPublisher;
  let keys: PartnerKeyFile;
  let acme: string;
  const logs: string[] = [];

  beforeAll(async () => {
    keys = new PartnerKeyFile(join(mkdtempSync(join(tmpdir(), 'partner-keys-')), 'partner-keys.json'));
    acme = await addPartner(keys, 'acme');
    p = await startTestPublisher({
      config: testConfig({
        sections: [
          { name: 'International', description: 'World news.', fullTextInPublicFeeds: false },
          { name: 'Business', description: 'Markets and companies.' },
          { name: 'Science', description: 'Research.' },
        ],
      }),
      partnerKeyFile: keys.file,
      partnerLog: (line) => logs.push(line),
    });
    await p.post(articleRecord({ id: 'summary-only', contentHtml: '<p>Full text for partners only.</p>', publishedAt: at(0), updatedAt: at(0) }));
  });
  afterAll(async () => {
    await p?.close();
  });

  it('serves partner feeds and ninjs with a key (Bearer header or ?key=), full text included', async () => {
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const res = await p.get(`/partners/international/${file}`, { authorization: `Bearer ${acme}` });
      expect(res.status, file).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/^private, max-age=/);
      expect(await res.text(), file).toContain('Full text for partners only.');
    }
    const byQuery = await p.get(`/partners/international/ninjs.json?key=${acme}`);
    expect(byQuery.status).toBe(200);
    const listing = (await byQuery.json()) as { associations: { uri: string }[] };
    expect(listing.associations[0]!.uri).toBe('tag:news.test.example,2025:article/summary-only');
    const doc = await p.get('/partners/international/ninjs/summary-only.json', { authorization: `Bearer ${acme}` });
    expect(((await doc.json()) as { bodies: { value: string }[] }).bodies[0]!.value).toBe('<p>Full text for partners only.</p>');
  });

  it('takes a retracted or moved article\'s ninjs document down, not only out of the listing', async () => {
    const auth = { authorization: `Bearer ${acme}` };
    await p.post(articleRecord({ id: 'going-away', publishedAt: at(1), updatedAt: at(1) }));
    await p.post(articleRecord({ id: 'moving-on', publishedAt: at(2), updatedAt: at(2) }));
    expect((await p.get('/partners/international/ninjs/going-away.json', auth)).status).toBe(200);
    await p.retract('going-away');
    await p.post(articleRecord({ id: 'moving-on', section: 'Business', publishedAt: at(2), updatedAt: at(3) }));
    expect((await p.get('/partners/international/ninjs/going-away.json', auth)).status).toBe(404);
    expect((await p.get('/partners/international/ninjs/moving-on.json', auth)).status).toBe(404);
    expect((await p.get('/partners/business/ninjs/moving-on.json', auth)).status).toBe(200);
  });

  it('public feeds need no key, and a summary-only section never shows its full text there', async () => {
    const { rss, atom, json } = await p.feeds('international');
    for (const body of [rss, atom, JSON.stringify(json)]) {
      expect(body).toContain('summary-only');
      expect(body).not.toContain('Full text for partners only.');
    }
  });

  it('refuses a missing key with 401 and a wrong one with 403, with no body', async () => {
    const missing = await p.get('/partners/international/atom.xml');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="partners"');
    expect(await missing.text()).toBe('');
    const wrong = await p.get('/partners/international/atom.xml', { authorization: `Bearer ${acme.slice(1)}x` });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toBe('');
    expect((await p.get('/partners/no-such-section/atom.xml')).status).toBe(401);
  });

  it('logs the partner name per request, never the key', () => {
    const entries = logs.map((l) => JSON.parse(l) as { outcome: string; partner: string | null; uri: string });
    expect(entries).toContainEqual(expect.objectContaining({ outcome: 'allowed', partner: 'acme', uri: '/partners/international/ninjs.json' }));
    expect(logs.join('\n')).not.toContain(acme);
    expect(readFileSync(keys.file, 'utf8')).not.toContain(acme);
  });

  it('cuts a partner off when its key is revoked, and leaves the others alone', async () => {
    const other = await addPartner(keys, 'other-news');
    expect((await p.get('/partners/international/rss.xml', { authorization: `Bearer ${other}` })).status).toBe(200);
    await runPartnerCommand({ command: { action: 'revoke', partner: 'acme' }, store: keys });
    expect((await p.get('/partners/international/rss.xml', { authorization: `Bearer ${acme}` })).status).toBe(403);
    expect((await p.get(`/partners/international/rss.xml?key=${acme}`)).status).toBe(403);
    expect((await p.get('/partners/international/rss.xml', { authorization: `Bearer ${other}` })).status).toBe(200);
  });
});
