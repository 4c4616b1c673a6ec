// CloudFront Function (cloudfront-js-2.0), viewer request of the default and the `*/` behaviours.
// Plain JavaScript for the CloudFront runtime: no exports, no imports. The tests run this very file.
//
// The pages live in S3 as `feeds/{slug}/index.html`, `feeds/tags/{slug}/index.html` and
// `feeds/index.html`, but people type `/feeds/international/` or `/feeds/`: S3 behind Origin Access
// Control has no directory index, so the URI is rewritten here, before the cache (the cache key is
// then the object's own path, shared with requests for `.../index.html`).
//
// - a URI ending in `/` gets `index.html` appended;
// - a URI whose last segment has no `.` (`/feeds/international`) is redirected (301) to the same
//   path with a `/` (which the first rule then serves): every object here has an extension, so
//   such a URI can only mean a directory. The query string is dropped: nothing served here reads
//   one (the cache policies ignore it).
// - a browser opening a feed (`rss.xml`, `atom.xml`, `feed.json`: its Accept prefers text/html over
//   every feed type) is redirected (302) to the feed's readable page, `index.html` next to it; feed
//   readers (feed or XML types, `*/*`, or no Accept) get the feed. A redirect rather than a rewrite:
//   the page then comes with the HTML behaviour's headers (its CSP), and the feed's cache entry is
//   only ever the feed.
// Every redirect names a path on this host (`/…`, never `//host` or `/\host`), and unsafe URIs are
// refused first (below). Everything else passes unchanged.

// Refuses (400) a URI that could name another object than it seems to, before the cache and the
// origin see it: not a valid percent-encoding, an encoded slash or backslash, a backslash, an empty
// segment (`//`), a NUL, or a `.`/`..` segment once decoded. (S3 takes keys literally, but a
// normalizing origin or proxy would resolve `..%2f` into another folder.) The same in every function.
function unsafeUri(uri) {
  if (uri.charAt(0) !== '/' || uri.indexOf('\\') !== -1 || uri.indexOf('//') !== -1 || /%(2f|5c|00)/i.test(uri)) return true;
  var decoded;
  try {
    decoded = decodeURIComponent(uri);
  } catch (e) {
    return true;
  }
  if (decoded.indexOf('\u0000') !== -1 || decoded.indexOf('\\') !== -1) return true;
  var segments = decoded.split('/');
  for (var i = 0; i < segments.length; i++) {
    if (segments[i] === '.' || segments[i] === '..') return true;
  }
  return false;
}

function badRequest() {
  return { statusCode: 400, statusDescription: 'Bad Request', headers: { 'cache-control': { value: 'no-store' } } };
}

// Media types a feed reader may ask for; a `*/*` or `application/*` range counts as one of them.
var FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/xml', 'text/xml', 'application/json', 'application/*', '*/*'];
var HTML_TYPES = ['text/html', 'application/xhtml+xml'];
var FEED_FILE = /\/(rss\.xml|atom\.xml|feed\.json)$/;

// The highest q the Accept header gives any of the types (0 when it names none of them).
function bestQuality(accept, types) {
  var best = 0;
  var ranges = accept.split(',');
  for (var i = 0; i < ranges.length; i++) {
    var parts = ranges[i].split(';');
    var type = parts[0].trim().toLowerCase();
    if (types.indexOf(type) === -1) continue;
    var q = 1;
    for (var j = 1; j < parts.length; j++) {
      var param = parts[j].trim().toLowerCase();
      if (param.indexOf('q=') === 0) q = parseFloat(param.slice(2));
    }
    if (q > best) best = q;
  }
  return best;
}

// A browser navigation: text/html ranks above every feed type (a tie goes to the feed).
function prefersHtml(request) {
  var accept = request.headers.accept;
  if (!accept || !accept.value) return false;
  return bestQuality(accept.value, HTML_TYPES) > bestQuality(accept.value, FEED_TYPES);
}

function redirect(statusCode, statusDescription, location, cacheControl) {
  // Same origin only: exactly one leading slash, whatever the URI held.
  var path = '/' + location.replace(/^[\/\\]+/, '');
  return {
    statusCode: statusCode,
    statusDescription: statusDescription,
    headers: { location: { value: path }, 'cache-control': { value: cacheControl } },
  };
}

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (unsafeUri(uri)) return badRequest();
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }
  if (FEED_FILE.test(uri) && prefersHtml(request)) {
    return redirect(302, 'Found', uri.replace(FEED_FILE, '/index.html'), 'no-store');
  }
  var lastSegment = uri.slice(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    return redirect(301, 'Moved Permanently', uri + '/', 'public, max-age=3600');
  }
  return request;
}
