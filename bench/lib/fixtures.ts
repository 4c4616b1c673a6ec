/**
 * Synthetic, deterministic bench data: lorem-style article bodies of a few KB of HTML, records in
 * the ingest contract's shape (via the tests' `articleRecord()`), and validated `Article`s.
 * Nothing here resembles a real news story.
 */
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { articleRecord, testConfig } from '../../test/helpers/factories.js';

/** The site the benches publish: the tests' three sections, with a given feed length. */
export function benchConfig(itemsPerFeed = 50): PublisherConfig {
  return testConfig({ itemsPerFeed });
}

/** mulberry32: a tiny seeded PRNG, so every run renders the same bytes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna ' +
  'aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute ' +
  'irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident ' +
  'sunt culpa qui officia deserunt mollit anim id est laborum curabitur pretium tincidunt lacus nulla gravida orci a odio'
).split(' ');

function sentence(rand: () => number, words = 8 + Math.floor(rand() * 14)): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

/**
 * About `targetBytes` of article HTML: paragraphs with inline markup and links, a subheading, a
 * list and a quote now and then, and text that needs escaping in XML (`&`, quotes).
 */
export function loremHtml(seed: number, targetBytes = BODY_BYTES): string {
  const rand = prng(seed);
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  while (size < targetBytes) {
    n++;
    let block: string;
    if (n % 5 === 0) block = `<h2>${sentence(rand, 4)}</h2>`;
    else if (n % 7 === 0) block = `<ul><li>${sentence(rand, 5)}</li><li>${sentence(rand, 6)}</li><li>${sentence(rand, 4)}</li></ul>`;
    else if (n % 9 === 0) block = `<blockquote><p>“${sentence(rand)}” &amp; ${sentence(rand, 5)}</p></blockquote>`;
    else {
      const link = `<a href="https://news.test.example/topics/${Math.floor(rand() * 1000)}">${sentence(rand, 3).slice(0, -1)}</a>`;
      block = `<p>${sentence(rand)} <strong>${sentence(rand, 4)}</strong> ${sentence(rand)} ${link}, ${sentence(rand)} <em>${sentence(rand, 3)}</em></p>`;
    }
    parts.push(block);
    size += Buffer.byteLength(block);
  }
  return parts.join('\n');
}

/** Stops adding blocks past this size: bodies come out at ~3.4 KB after sanitizing (the figure). */
export const BODY_BYTES = 3250;

const SECTIONS = ['International', 'Business', 'Science'];

export interface RecordOptions {
  /** Index used for the id, the text seed and the dates. */
  n: number;
  section?: string;
  /** Publication time in ms since the epoch; default: one minute per n after 2025-01-01. */
  publishedAtMs?: number;
  updatedAtMs?: number;
  bodyBytes?: number;
  prefix?: string;
}

const BASE_MS = Date.parse('2025-01-01T00:00:00Z');

/** One synthetic article record, in the JSON shape editors POST. */
export function benchRecord(options: RecordOptions): Record<string, unknown> {
  const { n } = options;
  const rand = prng(n * 7919 + 17);
  const id = `${options.prefix ?? 'bench'}-${n}`;
  const publishedAtMs = options.publishedAtMs ?? BASE_MS + n * 60_000;
  const updatedAtMs = options.updatedAtMs ?? publishedAtMs;
  return articleRecord({
    id,
    title: `${sentence(rand, 6).slice(0, -1)} (${id})`,
    summary: `${sentence(rand)} ${sentence(rand)}`,
    contentHtml: loremHtml(n, options.bodyBytes ?? BODY_BYTES),
    url: `https://news.test.example/stories/${id}`,
    section: options.section ?? SECTIONS[n % SECTIONS.length]!,
    authors: n % 3 === 0 ? [{ name: 'Bench Desk' }, { name: 'Second Writer', url: 'https://news.test.example/authors/second' }] : [{ name: 'Bench Desk' }],
    tags: ['Lorem & ipsum', `Topic ${n % 20}`, 'Bench'],
    image: { url: `https://news.test.example/images/${id}.jpg`, alt: `Placeholder image "${id}" & friends`, caption: sentence(rand, 5), width: 1200, height: 800 },
    publishedAt: new Date(publishedAtMs).toISOString(),
    updatedAt: new Date(updatedAtMs).toISOString(),
  });
}

/** Validates (and sanitizes) records the way ingest does; throws on a record the bench got wrong. */
export function toArticles(config: PublisherConfig, records: readonly Record<string, unknown>[]): Article[] {
  const validator = new ArticleValidator(config);
  return records.map((r) => {
    const parsed = validator.parse(r);
    if (!parsed.ok) throw new Error(`bench record ${String(r['id'])} is invalid: ${JSON.stringify(parsed.errors)}`);
    return parsed.article;
  });
}

/** `count` validated articles of one section, newest first by n. */
export function sectionArticles(config: PublisherConfig, count: number, section = 'International', prefix = 'bench'): Article[] {
  return toArticles(
    config,
    Array.from({ length: count }, (_, i) => benchRecord({ n: i + 1, section, prefix })),
  );
}

/**
 * A cheap variant of a validated template article: new id, title, URL, dates. Used to seed large
 * archives without sanitizing 100,000 bodies; the variant is what validation would produce.
 */
export function variant(template: Article, id: string, publishedAtMs: number, sectionSlug: string, sectionName: string): Article {
  const iso = new Date(publishedAtMs).toISOString();
  return {
    ...template,
    id,
    title: `${template.title.replace(/ \([^)]*\)$/, '')} (${id})`,
    url: `https://news.test.example/stories/${id}`,
    section: sectionName,
    sectionSlug,
    publishedAt: iso,
    updatedAt: iso,
  };
}
