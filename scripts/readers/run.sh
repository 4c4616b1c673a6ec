#!/usr/bin/env bash
# The reader matrix against a running publisher: fetches one feed's RSS, Atom and JSON Feed and
# reads them with python feedparser, Perl XML::Feed, Ruby rss, Go gofeed and Java ROME
# (Debian packages, installed by .ci/run). Usage: run.sh BASE_URL FEED_PATH (e.g. feeds/international)
set -euo pipefail
base=${1:?usage: run.sh BASE_URL FEED_PATH}
path=${2:?usage: run.sh BASE_URL FEED_PATH}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for f in rss.xml atom.xml feed.json; do curl -fsS "$base/$path/$f" -o "$dir/$f"; done
node "$(dirname "$0")/compare.mjs" "$dir"
