"""Reads one RSS, Atom or JSON Feed file with python feedparser and prints what it exposes as JSON."""
import calendar, json, sys, time
import feedparser

d = feedparser.parse(sys.argv[1])
if d.bozo:
    sys.exit(f"feedparser: bozo {d.bozo_exception!r}")
iso = lambda t: time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(calendar.timegm(t))) if t else None
def image(e):
    for l in e.get('links', []):
        if l.get('rel') == 'enclosure':
            return l.get('href')
    return None
print(json.dumps({
    'library': 'python feedparser',
    'title': d.feed.get('title'),
    'link': d.feed.get('link'),
    'items': [{
        'id': e.get('id'), 'title': e.get('title'), 'link': e.get('link'),
        'published': iso(e.get('published_parsed')), 'updated': iso(e.get('updated_parsed')),
        'authors': [a.get('name') for a in e.get('authors', []) if a.get('name')],
        'image': image(e),
    } for e in d.entries],
}))
