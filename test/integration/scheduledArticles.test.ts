import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PartnerKeyFile } from '../../operator/partnerKeys.js';
import { runPartnerCommand } from '../../operator/partnerCommand.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';
import { uniqueName } from '../helpers/localAws.js';

const config = testConfig({ tagFeeds: [{ tag: 'Embargo desk' }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls until `check` holds (it throws until then); the test's own timeout bounds it. */
async function eventually(check: () => Promise<void>, intervalMs = 100): Promise<void> {
  for (;;) {
    try {
      return await check();
    } catch {
      await sleep(intervalMs);
    }
  }
}
/** Waits until the wall clock is past `ms` (to look at the feeds after an instant that should change nothing). */
const until = (ms: number) => sleep(Math.max(0, ms - Date.now()));

let keyFile: string;
let partnerKey: string;

beforeAll(async () => {
  keyFile = join(mkdtempSync(join(tmpdir(), 'schedule-keys-')), 'partner-keys.json');
  const output = await runPartnerCommand({ command: { action: 'add', partner: 'acme' }, store: new PartnerKeyFile(keyFile) });
  partnerKey = /^\s{2}([A-Za-z0-9_-]{43})$/m.exec(output)![1]!;
});

const started: TestPublisher[] = [];
async function publisher(options: { tableName?: string; bucket?: string } = {}): Promise<TestPublisher> {
  const p = await startTestPublisher({ config, partnerKeyFile: keyFile, partnerLog: () => undefined, ...options });
  started.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.close().catch(() => undefined)));
});

/** Whether the section's newest RFC 5005 archive page holds the article (no page yet: no). */
async function inArchive(p: TestPublisher, id: string): Promise<boolean> {
  const newest = (await p.newestArchivePages())['international'];
  if (newest === undefined) return false;
  return (await (await p.get(`/feeds/international/archive/json-${newest}.json`)).text()).includes(`/stories/${id}`);
}

/** Everything a reader or partner could see of one article: where it is listed, and its own ninjs document. */
async function visibility(p: TestPublisher, id: string) {
  const auth = { authorization: `Bearer ${partnerKey}` };
  const text = async (path: string, headers: Record<string, string> = {}) => (await p.get(path, headers)).text();
  const [section, tag, page, partnerRss, ninjsListing, ninjsDoc, sitemap] = await Promise.all([
    p.feedIds('international'),
    text('/feeds/tags/embargo-desk/feed.json'),
    text('/feeds/international/index.html'),
    text('/partners/international/rss.xml', auth),
    text('/partners/international/ninjs.json', auth),
    p.get(`/partners/international/ninjs/${id}.json`, auth),
    text('/sitemaps/news.xml'),
  ]);
  return {
    section: section.includes(id),
    tag: tag.includes(`/${id}`),
    page: page.includes(`/stories/${id}`),
    partnerFeed: partnerRss.includes(`/stories/${id}`),
    ninjsListing: ninjsListing.includes(`/stories/${id}`),
    ninjsDocument: ninjsDoc.status === 200,
    sitemap: sitemap.includes(`/stories/${id}<`),
    archive: await inArchive(p, id),
  };
}
const nowhere = { section: false, tag: false, page: false, partnerFeed: false, ninjsListing: false, ninjsDocument: false, sitemap: false, archive: false };
const everywhere = { section: true, tag: true, page: true, partnerFeed: true, ninjsListing: true, ninjsDocument: true, sitemap: true, archive: true };

const scheduled = (id: string, publishAtMs: number, updatedAtMs = publishAtMs) =>
  articleRecord({ id, tags: ['Embargo desk'], publishedAt: new Date(publishAtMs).toISOString(), updatedAt: new Date(updatedAtMs).toISOString() });

describe('scheduled (embargoed) articles on the local publisher', () => {
  it('answers scheduled with the time; absent everywhere, then present everywhere at its instant without another request', async () => {
    const p = await publisher();
    // A first write warms the pipeline (lazy modules, connections), so the 2 s are the scheduled article's own.
    await p.post(articleRecord({ id: 'warm-up', publishedAt: at(0), updatedAt: at(0) }));
    await visibility(p, 'warm-up');
    // Far enough ahead that a loaded machine still checks "nowhere" before the instant.
    const publishAt = Date.now() + 4_000;
    const posted = await p.post(scheduled('embargoed', publishAt));
    expect(posted.status).toBe(200);
    expect(posted.json.results).toEqual([{ index: 0, id: 'embargoed', status: 'scheduled', publishAt: new Date(publishAt).toISOString() }]);
    expect(await visibility(p, 'embargoed')).toEqual(nowhere);
    expect(p.scheduler.pending().map((s) => s.articleId)).toEqual(['embargoed']);

    await eventually(async () => expect(await visibility(p, 'embargoed')).toEqual(everywhere));
    expect(p.scheduler.pending()).toEqual([]);
  });

  it('keeps the feeds byte-identical for the visible set while an article waits', async () => {
    const p = await publisher();
    await p.post(articleRecord({ id: 'visible', publishedAt: at(0), updatedAt: at(0) }));
    const before = await p.feeds('international');
    await p.post(scheduled('waiting', Date.now() + 60_000));
    expect(await p.feeds('international')).toEqual(before);
  });

  it('moved later: not at the first instant, at the new one', async () => {
    const p = await publisher();
    const first = Date.now() + 3_000;
    await p.post(scheduled('moved-later', first));
    const second = first + 3_000;
    expect((await p.post(scheduled('moved-later', second))).json.results[0]).toMatchObject({ status: 'scheduled', publishAt: new Date(second).toISOString() });
    expect(p.scheduler.pending()).toEqual([expect.objectContaining({ articleId: 'moved-later', publishAt: new Date(second).toISOString() })]);
    await until(first + 1_000);
    expect(await visibility(p, 'moved-later')).toEqual(nowhere);
    await eventually(async () => expect(await visibility(p, 'moved-later')).toEqual(everywhere));
  });

  it('moved earlier: out at the new instant, long before the first', async () => {
    const p = await publisher();
    const first = Date.now() + 120_000;
    await p.post(scheduled('moved-earlier', first));
    const earlier = Date.now() + 4_000;
    expect((await p.post(scheduled('moved-earlier', earlier, first + 1))).json.results[0]).toMatchObject({ status: 'scheduled', publishAt: new Date(earlier).toISOString() });
    expect(await visibility(p, 'moved-earlier')).toEqual(nowhere);
    await eventually(async () => expect(await visibility(p, 'moved-earlier')).toEqual(everywhere));
  });

  it('moved into the past: out at once', async () => {
    const p = await publisher();
    const first = Date.now() + 120_000;
    await p.post(scheduled('now-instead', first));
    expect((await p.post(scheduled('now-instead', Date.now() - 1_000, first + 1))).json.results[0]).toMatchObject({ status: 'stored' });
    expect(await visibility(p, 'now-instead')).toEqual(everywhere);
    expect(p.scheduler.pending()).toEqual([]);
  });

  it('retracted before its instant: never appears', async () => {
    const p = await publisher();
    const publishAt = Date.now() + 4_000;
    await p.post(scheduled('pulled', publishAt));
    expect((await p.retract('pulled')).json).toEqual({ id: 'pulled', status: 'retracted' });
    expect(p.scheduler.pending()).toEqual([]);
    await until(publishAt + 1_000);
    expect(await visibility(p, 'pulled')).toEqual(nowhere);
  });

  it('a restart in between: the restarted publisher re-arms the timer and publishes on time', async () => {
    const tableName = uniqueName('articles');
    const bucket = uniqueName('feeds');
    const first = await publisher({ tableName, bucket });
    // A restart takes seconds on a loaded machine: the second publisher must come up before the instant.
    const publishAt = Date.now() + 8_000;
    await first.post(scheduled('across-restart', publishAt));
    await first.close();
    const second = await publisher({ tableName, bucket });
    expect(second.scheduler.pending().map((s) => s.articleId)).toEqual(['across-restart']);
    expect(await visibility(second, 'across-restart')).toEqual(nowhere);
    await eventually(async () => expect(await visibility(second, 'across-restart')).toEqual(everywhere));
  });

  it('came due while the publisher was down: out at start-up', async () => {
    const tableName = uniqueName('articles');
    const bucket = uniqueName('feeds');
    const first = await publisher({ tableName, bucket });
    const publishAt = Date.now() + 1_500;
    await first.post(scheduled('due-while-down', publishAt));
    await first.close();
    await until(publishAt + 500);
    const second = await publisher({ tableName, bucket });
    expect(second.scheduler.pending()).toEqual([]);
    expect(await visibility(second, 'due-while-down')).toEqual(everywhere);
  });
});

