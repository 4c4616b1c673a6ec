import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { ConfigError } from '../../lambdas/core/config/index.js';
import { automaticSlug, entryPartitions, leavingTimeOf, MAX_FEED_ENTRIES, membershipRules, targetsOfChange } from '../../lambdas/core/feeds/index.js';
import { knownTargets, listedFeeds, type RegisteredFeed } from '../../lambdas/core/publish/index.js';
import { renderOpml } from '../../lambdas/core/render/opml.js';
import { renderFeedDocuments } from '../../lambdas/core/render/index.js';
import { tagTarget } from '../../lambdas/core/feeds/index.js';
import { articleChangeOf } from '../../lambdas/handlers/streamRecords.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';

const BASE = 'https://feeds.test.example';

function article(config: ReturnType<typeof testConfig>, overrides: Record<string, unknown> = {}): Article {
  const result = new ArticleValidator(config).parse(articleRecord(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.article;
}

describe('automaticFeeds configuration', () => {
  it('is on by default for tags and authors, listing a feed from its first article', () => {
    expect(testConfig().automaticFeeds).toEqual({
      tags: { enabled: true, minArticles: 1, exclude: [], maxPerArticle: 20 },
      authors: { enabled: true, minArticles: 1, exclude: [], maxPerArticle: 20 },
    });
  });

  it('turns either kind off or limits it, keeping the other kind\'s defaults', () => {
    const config = testConfig({ automaticFeeds: { tags: { enabled: false }, authors: { minArticles: 3, exclude: ['Staff'], maxPerArticle: 2 } } });
    expect(config.automaticFeeds.tags).toMatchObject({ enabled: false, minArticles: 1 });
    expect(config.automaticFeeds.authors).toEqual({ enabled: true, minArticles: 3, exclude: ['Staff'], maxPerArticle: 2 });
  });

  it('names each bad field once, for an editor', () => {
    const bad = () => testConfig({ itemsPerFeed: 5, automaticFeeds: { tags: { minArticles: 6, colour: 'red' }, authors: { maxPerArticle: 99 } } });
    expect(bad).toThrow(ConfigError);
    const messages = (() => {
      try {
        bad();
      } catch (err) {
        return (err as ConfigError).message;
      }
      return '';
    })();
    expect(messages).toContain('publisher.automaticFeeds.tags');
    expect(messages).toContain('colour');
    expect(messages).toContain('publisher.automaticFeeds.authors.maxPerArticle');
  });
});

describe('feed membership (one place decides)', () => {
  const config = testConfig({ tagFeeds: [{ tag: 'Russia Ukraine conflict', slug: 'ukraine-war' }], automaticFeeds: { tags: { exclude: ['Breaking'] }, authors: { exclude: ['staff'] } } });
  const rules = membershipRules(config);

  it('gives configured tags their slug, every other tag and author an automatic one, minus exclusions, without repeats', () => {
    const a = article(config, {
      tags: ['Russia Ukraine conflict', 'Oil prices', 'oil  prices', 'Breaking', 'سوريا'],
      authors: [{ name: 'Ana Souza' }, { name: 'Staff' }, { name: 'Zoë Müller' }],
    });
    const m = rules.of(a);
    expect(m).toEqual({ sectionSlug: 'international', tags: ['ukraine-war', 'oil-prices', automaticSlug('tag', 'سوريا')], authors: ['ana-souza', 'zoe-muller'] });
    expect(automaticSlug('tag', 'سوريا')).toMatch(/^tag-[0-9a-f]{8}$/);
    expect(entryPartitions(m)).toEqual(['SECTION#international', 'TAG#ukraine-war', 'TAG#oil-prices', `TAG#${m.tags[2]}`, 'AUTHOR#ana-souza', 'AUTHOR#zoe-muller']);
  });

  it('keeps an article\'s entries within one transaction, however many tags and authors it has', () => {
    const many = article(config, { tags: Array.from({ length: 50 }, (_, i) => `Tag ${i}`), authors: Array.from({ length: 20 }, (_, i) => ({ name: `Writer ${i}` })) });
    const m = rules.of(many);
    expect(m.tags).toHaveLength(20);
    expect(m.authors).toHaveLength(20);
    expect(entryPartitions(m).length).toBeLessThanOrEqual(MAX_FEED_ENTRIES);
    // Entries in, entries left out, and the article item: under DynamoDB's 100 per transaction.
    expect(2 * MAX_FEED_ENTRIES + 1).toBeLessThanOrEqual(100);
  });

  it('with automatic feeds off, only configured tag feeds (the behaviour before automatic feeds)', () => {
    const off = testConfig({ tagFeeds: [{ tag: 'Markets' }], automaticFeeds: { tags: { enabled: false }, authors: { enabled: false } } });
    expect(membershipRules(off).of(article(off, { tags: ['Markets', 'Oil'], authors: [{ name: 'Ana Souza' }] }))).toEqual({ sectionSlug: 'international', tags: ['markets'], authors: [] });
  });

  it('signs the rules, so the backfill sees a configuration whose feeds differ', () => {
    expect(membershipRules(testConfig()).signature).toBe(membershipRules(testConfig({ siteTitle: 'Other title' })).signature);
    expect(membershipRules(testConfig()).signature).not.toBe(membershipRules(testConfig({ tagFeeds: [{ tag: 'Energy' }] })).signature);
    expect(membershipRules(testConfig()).signature).not.toBe(membershipRules(testConfig({ automaticFeeds: { authors: { enabled: false } } })).signature);
    expect(membershipRules(testConfig()).signature).not.toBe(membershipRules(testConfig({ sections: [{ name: 'International', description: 'World.' }] })).signature);
  });
});

/** A stream record of an article item with the attributes the repository writes. */
type Img = { section: string; tags?: string[]; authors?: string[]; ms: number; retracted?: boolean };
function record(old?: Img, now?: Img): DynamoDBRecord {
  const image = (i: NonNullable<typeof old>) => ({
    pk: { S: 'ARTICLE#a' },
    sk: { S: 'ARTICLE' },
    sectionSlug: { S: i.section },
    updatedAtMs: { N: String(i.ms) },
    status: { S: i.retracted ? 'retracted' : 'published' },
    ...(i.tags && { feedTags: { SS: i.tags } }),
    ...(i.authors && { feedAuthors: { SS: i.authors } }),
  });
  return { dynamodb: { Keys: { pk: { S: 'ARTICLE#a' }, sk: { S: 'ARTICLE' } }, ...(old && { OldImage: image(old) }), ...(now && { NewImage: image(now) }) } };
}

describe('the feeds a change touches (stream filter: old and new image)', () => {
  const config = testConfig();
  const keys = (r: DynamoDBRecord) => targetsOfChange(config, articleChangeOf(r)!).map((t) => t.key);

  it('ten tags are ten tag feeds plus the section and the authors, not every feed', () => {
    const tags = Array.from({ length: 10 }, (_, i) => `t${i}`);
    expect(keys(record(undefined, { section: 'international', tags, authors: ['ana-souza'], ms: 1 }))).toEqual(['section/international', ...tags.map((t) => `tag/${t}`), 'author/ana-souza']);
  });

  it('a tag removed or an author changed touches the old feed too; a retraction touches all the old ones', () => {
    expect(keys(record({ section: 'international', tags: ['oil', 'gas'], authors: ['ana'], ms: 1 }, { section: 'international', tags: ['gas'], authors: ['li'], ms: 2 }))).toEqual([
      'section/international',
      'tag/oil',
      'tag/gas',
      'author/ana',
      'author/li',
    ]);
    expect(keys(record({ section: 'business', tags: ['oil'], ms: 1 }, { section: 'business', ms: 5 }))).toEqual(['section/business', 'tag/oil']);
  });

  it('skips kinds that are turned off and sections not configured', () => {
    const off = testConfig({ automaticFeeds: { tags: { enabled: false }, authors: { enabled: false } } });
    expect(targetsOfChange(off, articleChangeOf(record(undefined, { section: 'sports', tags: ['oil'], authors: ['ana'], ms: 1 }))!)).toEqual([]);
  });

  it('dates a change that takes the article out of a feed by its own version (a retraction\'s time), never by the clock; additions give no floor', () => {
    const floorOf = (r: DynamoDBRecord, key: string) => {
      const change = articleChangeOf(r)!;
      return leavingTimeOf(change, targetsOfChange(config, change).find((t) => t.key === key)!);
    };
    const retraction = record({ section: 'business', tags: ['oil'], ms: 1_000 }, { section: 'business', ms: 9_000, retracted: true });
    expect(floorOf(retraction, 'section/business')).toBe(9_000);
    expect(floorOf(retraction, 'tag/oil')).toBe(9_000);
    const tagRemoved = record({ section: 'business', tags: ['oil', 'gas'], ms: 1_000 }, { section: 'business', tags: ['gas'], ms: 2_000 });
    expect(floorOf(tagRemoved, 'tag/oil')).toBe(2_000);
    expect(floorOf(tagRemoved, 'tag/gas')).toBeUndefined();
    expect(floorOf(tagRemoved, 'section/business')).toBeUndefined();
    expect(floorOf(record({ section: 'business', ms: 1_000 }), 'section/business')).toBe(1_000);
    // A new (perhaps scheduled, future-dated) version: shown by the items themselves, no floor.
    expect(floorOf(record(undefined, { section: 'business', ms: 5_000_000_000_000 }), 'section/business')).toBeUndefined();
  });
});

describe('the feed registry listing (index page, OPML)', () => {
  const config = testConfig({ tagFeeds: [{ tag: 'Markets' }], automaticFeeds: { authors: { minArticles: 2 } } });
  const feed = (kind: RegisteredFeed['kind'], slug: string, title: string, items: number): RegisteredFeed => ({
    key: `${kind}/${slug}`,
    kind,
    slug,
    title,
    description: `About ${title}.`,
    basePath: kind === 'tag' ? `feeds/tags/${slug}` : kind === 'author' ? `feeds/authors/${slug}` : `feeds/${slug}`,
    items,
  });

  it('groups by kind: configured feeds always, automatic ones holding minArticles, by title', () => {
    const listed = listedFeeds(config, [
      feed('author', 'ana-souza', 'Ana Souza', 2),
      feed('tag', 'oil', 'Oil', 1),
      feed('tag', 'energy', 'Energy', 3),
      feed('tag', 'emptied', 'Emptied', 0),
      feed('author', 'li-wei', 'Li Wei', 1),
      feed('tag', 'markets', 'Markets (as once registered)', 4),
      feed('section', 'international', 'International', 5),
    ]);
    expect(listed.map((f) => `${f.kind}:${f.title}`)).toEqual([
      'section:International',
      'section:Business',
      'section:Science',
      'tag:Markets',
      'tag:Energy',
      'tag:Oil',
      'author:Ana Souza',
    ]);
    const opml = renderOpml(config, BASE, listed);
    expect([...opml.matchAll(/<outline text="([^"]+)" title="[^"]+">/g)].map((m) => m[1])).toEqual(['Sections', 'Topics', 'Authors']);
  });

  it('delists automatic feeds of a kind turned off', () => {
    const off = testConfig({ automaticFeeds: { tags: { enabled: false } } });
    expect(listedFeeds(off, [feed('tag', 'oil', 'Oil', 3), feed('author', 'ana', 'Ana', 1)]).map((f) => f.basePath)).toEqual([
      'feeds/international',
      'feeds/business',
      'feeds/science',
      'feeds/authors/ana',
    ]);
  });

  it('publishes every known feed: the configured ones, then each registered one the configuration still gives, emptied and unlisted included', () => {
    const off = testConfig({ tagFeeds: [{ tag: 'Markets' }], automaticFeeds: { authors: { enabled: false } } });
    const registered = [feed('tag', 'markets', 'Markets', 4), feed('tag', 'emptied', 'Emptied', 0), feed('author', 'ana', 'Ana', 3), feed('section', 'international', 'International', 5)];
    expect(knownTargets(off, registered).map((t) => t.key)).toEqual(['section/international', 'section/business', 'section/science', 'tag/markets', 'tag/emptied']);
  });
});

describe('rendering an automatic feed', () => {
  const config = testConfig();
  it('names it as its newest item writes the tag, and keeps its updated time at the floor after the newest item left', () => {
    const target = tagTarget(config, 'oil-prices');
    const a = article(config, { id: 'a', tags: ['Oil prices'], publishedAt: at(1), updatedAt: at(1) });
    const atom = (floor?: number) => renderFeedDocuments(config, target, BASE, [a], undefined, floor).find((d) => d.path === 'feeds/tags/oil-prices/atom.xml')!.body;
    expect(atom()).toContain('<title type="text">Oil prices</title>');
    expect(atom()).toContain(`<updated>${at(1)}</updated>`);
    expect(atom(Date.parse(at(7)))).toContain(`<updated>${at(7)}</updated>`);
    expect(atom(Date.parse(at(0)))).toBe(atom());
  });
});
