#!/usr/bin/env bash
# Judges served feeds with independent, real-world tools: xmllint (well-formed XML), jing (Atom
# against RFC 4287's RELAX NG schema) and python feedparser (bozo must be 0); the news sitemap and
# robots.txt with xmllint and grep.
# Usage: scripts/check-feeds.sh BASE_URL SECTION_SLUG...   (e.g. http://127.0.0.1:3000 international)
set -euo pipefail
base=$1; shift
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python=/usr/bin/python3
passed=0; failed=0
check() { # name command...
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; cat "$tmp/out"; fi
}
for slug in "$@"; do
  for f in rss.xml atom.xml feed.json archive/atom-0.xml archive/rss-0.xml; do curl -fsS "$base/feeds/$slug/$f" -o "$tmp/$slug-${f//\//-}"; done
  check "$slug rss.xml well-formed" xmllint --noout "$tmp/$slug-rss.xml"
  check "$slug atom.xml well-formed" xmllint --noout "$tmp/$slug-atom.xml"
  check "$slug atom.xml valid RFC 4287" sh -c "jing -c '$here/test/fixtures/schemas/atom.rnc' '$tmp/$slug-atom.xml' 2>&1 | grep -v '^\[warning\]' | (! grep .)"
  check "$slug feed.json is JSON Feed 1.1" node -e "const f=JSON.parse(require('fs').readFileSync('$tmp/$slug-feed.json','utf8')); if (f.version!=='https://jsonfeed.org/version/1.1') process.exit(1)"
  check "$slug archive atom page valid RFC 4287" sh -c "jing -c '$here/test/fixtures/schemas/atom.rnc' '$tmp/$slug-archive-atom-0.xml' 2>&1 | grep -v '^\[warning\]' | (! grep .)"
  check "$slug archive rss page well-formed" xmllint --noout "$tmp/$slug-archive-rss-0.xml"
  for f in rss.xml atom.xml archive-atom-0.xml archive-rss-0.xml; do
    check "$slug $f feedparser bozo=0" "$python" -c "
import sys, feedparser
d = feedparser.parse(sys.argv[1])
print(d.version, len(d.entries), d.get('bozo_exception'))
sys.exit(1 if d.bozo or not d.version else 0)" "$tmp/$slug-$f"
  done
done
curl -fsS "$base/feeds/index.opml" -o "$tmp/index.opml"
check "index.opml well-formed" xmllint --noout "$tmp/index.opml"
# The Google News sitemap: well-formed, a sitemaps.org urlset, at least one news entry (the seed article), and
# robots.txt on the feeds host naming it by its absolute URL.
curl -fsS "$base/sitemaps/news.xml" -o "$tmp/news.xml"
check "sitemaps/news.xml well-formed" xmllint --noout "$tmp/news.xml"
check "sitemaps/news.xml is a urlset with Google News entries" sh -c '
  [ "$(xmllint --xpath "count(/*[local-name()=\"urlset\" and namespace-uri()=\"http://www.sitemaps.org/schemas/sitemap/0.9\"])" "$1")" = 1 ] &&
  [ "$(xmllint --xpath "count(/*/*[local-name()=\"url\"]/*[local-name()=\"news\" and namespace-uri()=\"http://www.google.com/schemas/sitemap-news/0.9\"])" "$1")" -ge 1 ]' sh "$tmp/news.xml"
curl -fsS "$base/robots.txt" -o "$tmp/robots.txt"
check "robots.txt names the news sitemap" grep -qxF "Sitemap: $base/sitemaps/news.xml" "$tmp/robots.txt"
echo "feed checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
