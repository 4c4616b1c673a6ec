import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Media that ship with the deploy: `content/media/{path}` is published as `media/{path}` on the
 * feeds host. A content file refers to it by that relative path (`image.url: media/x.jpg`); the
 * content-file reader turns it into an absolute URL on the public feeds origin.
 */
export const MEDIA_PREFIX = 'media/';

const MEDIA_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif' };
/** Lead images, not video: anything bigger is a mistake. */
export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;
/** URL-safe names only, so that the path in a content file is the path on the host. */
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

export interface MediaDocument {
  /** Object key and URL path, e.g. `media/international/photo.jpg`. */
  path: string;
  contentType: string;
  body: Uint8Array;
}

/** A file under content/media/ that cannot be published as it is. */
export class MediaFileError extends Error {
  override readonly name = 'MediaFileError';
}

/** True for a content file's reference to shipped media: `media/...`, no scheme, no `..`. */
export function isMediaReference(url: string): boolean {
  return url.startsWith(MEDIA_PREFIX) && url.slice(MEDIA_PREFIX.length).split('/').every((s) => SEGMENT.test(s));
}

/** The public URL of shipped media, e.g. `https://feeds.example.org/media/x.jpg`. */
export function mediaUrl(feedsOrigin: string, reference: string): string {
  return `${feedsOrigin.replace(/\/+$/, '')}/${reference}`;
}

/**
 * Every media document to publish from `{contentDir}/media/`, sorted by path: the one list both the
 * deploy and `npm start` upload. No media folder = none. A file with an unsafe name, an unknown
 * type or over MAX_MEDIA_BYTES throws, naming the file.
 */
export function contentMediaDocuments(contentDir: string): MediaDocument[] {
  const root = join(contentDir, 'media');
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) return [];
  const documents: MediaDocument[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = `${prefix}${entry.name}`;
      const file = join(dir, entry.name);
      if (!SEGMENT.test(entry.name)) throw new MediaFileError(`content/${path}: use lower-case letters, digits, ".", "-" and "_" only`);
      if (entry.isDirectory()) {
        walk(file, `${path}/`);
        continue;
      }
      const contentType = MEDIA_TYPES[entry.name.split('.').pop() ?? ''];
      if (!contentType) throw new MediaFileError(`content/${path}: not a shipped media type (${Object.keys(MEDIA_TYPES).join(', ')})`);
      const body = readFileSync(file);
      if (body.length > MAX_MEDIA_BYTES) throw new MediaFileError(`content/${path}: ${body.length} bytes, more than ${MAX_MEDIA_BYTES}`);
      documents.push({ path, contentType, body: new Uint8Array(body) });
    }
  };
  walk(root, MEDIA_PREFIX);
  return documents;
}
