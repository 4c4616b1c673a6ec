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
// Everything else passes unchanged.

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }
  var lastSegment = uri.slice(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: uri + '/' }, 'cache-control': { value: 'public, max-age=3600' } },
    };
  }
  return request;
}
