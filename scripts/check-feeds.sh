#!/usr/bin/env bash
# Judges served feeds with independent, real-world tools: xmllint (well-formed XML), jing (Atom
# against RFC 4287's RELAX NG schema) and python feedparser (bozo must be 0).
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
echo "feed checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
