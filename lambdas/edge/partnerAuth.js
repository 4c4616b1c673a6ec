// CloudFront Function (cloudfront-js-2.0), viewer request of the /partners/* behaviour.
// Plain JavaScript for the CloudFront runtime: no exports, no imports but the runtime's own
// `cloudfront` module (the associated KeyValueStore); `crypto` is the runtime's built-in module.
// The local server and the tests run this very file (local/cloudFrontFunction.ts).
import cf from 'cloudfront';

const crypto = require('crypto');

// The store is indexed by the first 32 hex digits of a key's SHA-256; the entry's value is
// {"partner": name, "sha256": full hex digest}. The index lookup only finds a candidate: the
// full digests are then compared in constant time, so the store's lookup timing never decides.
const LOOKUP_HEX_CHARS = 32;
const DIGEST_HEX_CHARS = 64;
// Compared against when no entry exists, so a miss costs the same comparison as a near miss.
const NO_DIGEST = '0000000000000000000000000000000000000000000000000000000000000000';
const KEY_SYNTAX = /^[A-Za-z0-9_-]{32,256}$/;

const kvs = cf.kvs();

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

// Examines every character of both full-length digests whatever they hold: no early exit.
function constantTimeEqual(a, b) {
  if (a.length !== DIGEST_HEX_CHARS || b.length !== DIGEST_HEX_CHARS) return false;
  let difference = 0;
  for (let i = 0; i < DIGEST_HEX_CHARS; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

// `Authorization: Bearer <key>` (preferred: never in any access log) or `?key=<key>`.
function presentedKey(request) {
  const authorization = request.headers.authorization;
  if (authorization && authorization.value) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.value);
    return match ? match[1] : '';
  }
  const param = request.querystring.key;
  // A repeated ?key= is ambiguous: treated as no key.
  if (param && !param.multiValue) return param.value || '';
  return '';
}

// No body: the response says nothing about what exists behind it.
function refuse(statusCode, statusDescription) {
  const headers = { 'cache-control': { value: 'no-store' } };
  if (statusCode === 401) headers['www-authenticate'] = { value: 'Bearer realm="partners"' };
  return { statusCode: statusCode, statusDescription: statusDescription, headers: headers };
}

// One JSON line per request in the function's log group: the partner name, never the key.
function log(event, outcome, partner) {
  console.log(JSON.stringify({ outcome: outcome, partner: partner || null, requestId: event.context.requestId, uri: event.request.uri }));
}

async function lookUp(digest) {
  try {
    const entry = await kvs.get(digest.slice(0, LOOKUP_HEX_CHARS), { format: 'json' });
    if (entry && typeof entry.partner === 'string' && typeof entry.sha256 === 'string') return entry;
  } catch (e) {
    // Not in the store (or the store unreadable): refused below, fail closed.
  }
  return null;
}

async function handler(event) {
  const request = event.request;
  if (unsafeUri(request.uri)) {
    log(event, 'bad-uri');
    return badRequest();
  }
  const key = presentedKey(request);
  // The key goes no further than this function: not to the origin, the cache key or its logs.
  delete request.headers.authorization;
  delete request.querystring.key;

  if (!key) {
    log(event, 'missing-key');
    return refuse(401, 'Unauthorized');
  }
  const digest = crypto.createHash('sha256').update(key).digest('hex');
  const entry = KEY_SYNTAX.test(key) ? await lookUp(digest) : null;
  const matches = constantTimeEqual(digest, entry ? entry.sha256 : NO_DIGEST);
  if (!entry || !matches) {
    log(event, 'refused');
    return refuse(403, 'Forbidden');
  }
  log(event, 'allowed', entry.partner);
  return request;
}
