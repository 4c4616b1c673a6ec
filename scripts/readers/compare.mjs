#!/usr/bin/env node
// The reader matrix: reads one feed's RSS, Atom and JSON Feed with five independent reader
// ecosystems and asserts that each field a library exposes says what the JSON Feed says (JSON is
// unambiguous; the unit tier checks it against the records). Usage: compare.mjs DIR, where DIR holds
// rss.xml, atom.xml and feed.json of one feed. Prints one line per check and "N passed, N failed".
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
if (!dir) {
  console.error('usage: compare.mjs DIR (with rss.xml, atom.xml, feed.json)');
  process.exit(2);
}
const java = ['rome', 'rome-utils', 'jdom2', 'slf4j-api', 'slf4j-nop'].map((j) => `/usr/share/java/${j}.jar`).join(':');
const READERS = {
  // Debian's feedparser 6.0 reads no JSON Feed; gofeed reads all three formats.
  'python feedparser': { formats: ['rss', 'atom'], run: (f) => ['/usr/bin/python3', [join(here, 'read-feedparser.py'), f]] },
  'perl XML::Feed': { formats: ['rss', 'atom'], run: (f) => ['perl', [join(here, 'read-perl.pl'), f]] },
  'ruby rss': { formats: ['rss', 'atom'], run: (f) => ['ruby', [join(here, 'read-ruby.rb'), f]] },
  'go gofeed': { formats: ['rss', 'atom', 'json'], run: (f) => ['go', ['run', join(here, 'read-go.go'), f]], env: { GOPATH: '/usr/share/gocode', GO111MODULE: 'off', GOFLAGS: '-mod=mod', GOCACHE: '/tmp/go-build-cache' } },
  'java ROME': { formats: ['rss', 'atom'], run: (f) => ['java', ['-cp', java, join(here, 'ReadRome.java'), f]] },
};
/**
 * What each library does not expose for a format, and why; every other field is asserted.
 * Kept short and honest: a field missing here and from the output fails.
 */
const NOT_EXPOSED = {
  'perl XML::Feed': { rss: { updated: 'XML::Feed reads no per-item updated date from RSS 2.0' } },
  'ruby rss': { rss: { updated: 'RSS 2.0 has no item updated date; Ruby rss reads no atom:updated' } },
  'go gofeed': { rss: { updated: 'RSS 2.0 has no item updated date; gofeed reads only dc:date there' } },
  'java ROME': { rss: { updated: 'RSS 2.0 has no item updated date; ROME reads none from RSS' } },
};
/** Libraries that keep one author per item (in that format): they must give the first. */
const FIRST_AUTHOR_ONLY = { 'perl XML::Feed': ['atom'], 'go gofeed': ['rss'], 'java ROME': ['rss'] };
const FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

const json = JSON.parse(readFileSync(join(dir, 'feed.json'), 'utf8'));
const second = (iso) => (iso ? new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z') : iso);
const expected = {
  title: json.title,
  link: json.home_page_url,
  items: json.items.map((i) => ({
    id: i.id,
    title: i.title,
    link: i.url,
    published: second(i.date_published),
    updated: second(i.date_modified),
    authors: i.authors.map((a) => a.name),
    image: i.image ?? null,
  })),
};

let passed = 0;
let failed = 0;
const check = (label, actual, wanted) => {
  const ok = JSON.stringify(actual) === JSON.stringify(wanted);
  ok ? passed++ : failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}${ok ? '' : `: got ${JSON.stringify(actual)}, want ${JSON.stringify(wanted)}`}`);
};

for (const [library, reader] of Object.entries(READERS)) {
  for (const format of reader.formats) {
    const [cmd, args] = reader.run(join(dir, FILES[format]));
    let got;
    try {
      got = JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...reader.env }, stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (err) {
      failed++;
      console.log(`FAIL ${library} ${format}: could not read the feed: ${String(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`);
      continue;
    }
    const skip = NOT_EXPOSED[library]?.[format] ?? {};
    const at = `${library} ${format}`;
    check(`${at} feed title`, got.title, expected.title);
    check(`${at} site link`, got.link, expected.link);
    check(`${at} item count`, got.items.length, expected.items.length);
    expected.items.forEach((want, n) => {
      const item = got.items[n] ?? {};
      for (const field of ['id', 'title', 'link', 'published', 'updated', 'image']) {
        if (!skip[field]) check(`${at} item ${n} ${field}`, field === 'published' || field === 'updated' ? second(item[field]) : item[field] ?? null, want[field]);
      }
      // A library that keeps one author per item must give the first; the others, all of them.
      const firstOnly = FIRST_AUTHOR_ONLY[library]?.includes(format);
      if (!skip.authors) check(`${at} item ${n} authors${firstOnly ? ' (first only)' : ''}`, item.authors, firstOnly ? want.authors.slice(0, 1) : want.authors);
    });
  }
}
console.log(`reader matrix: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
