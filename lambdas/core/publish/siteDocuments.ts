import { renderSiteDocuments } from '../render/index.js';
import { SITE_DOCUMENTS } from '../render/formats.js';
import { listedFeeds } from './feedRegistry.js';
import type { FeedStateStore } from './feedState.js';
import { documentHash, type PublishingDeps } from './regenerateFeed.js';

/**
 * The index page, OPML list and stylesheet follow the list of feeds (the registry, and the
 * configuration): they are rendered and written only when that changed since they were last
 * published (a feed came or went, a title changed); no document is read back. The site's state
 * item tells, in one read, whether the configuration or the registry (its listingVersion, bumped
 * by every registry write) moved since; only then is the registry Queried. Returns the paths written.
 */
export async function publishSiteDocuments(deps: PublishingDeps & { state: FeedStateStore }): Promise<string[]> {
  // The kinds of document count too: a deploy that adds one (robots.txt) writes it.
  const configSignature = documentHash(JSON.stringify({ config: deps.config, base: deps.feedBaseUrl, kinds: SITE_DOCUMENTS.map((k) => k.path) }));
  const previous = await deps.state.readSite();
  if (previous.configSignature === configSignature && previous.renderedListing === previous.listingVersion) return [];
  // Read before the Query: an entry recorded after it bumps the version past what is kept here.
  const renderedListing = previous.listingVersion;
  const feeds = listedFeeds(deps.config, await deps.state.listFeeds());
  const signature = documentHash(JSON.stringify({ configSignature, feeds }));
  const documents = signature === previous.signature ? [] : renderSiteDocuments(deps.config, deps.feedBaseUrl, feeds);
  const hashed = documents.map((doc) => ({ doc, hash: documentHash(doc.body) }));
  const changed = hashed.filter(({ doc, hash }) => previous.manifest[doc.path] !== hash).map(({ doc }) => doc);
  await Promise.all(changed.map((doc) => deps.documents.put(doc)));
  const manifest = documents.length > 0 ? Object.fromEntries(hashed.map(({ doc, hash }) => [doc.path, hash])) : previous.manifest;
  // Lost to a concurrent run: it wrote the same documents from the same configuration, or a later listing.
  await deps.state.writeSite(previous, { signature, configSignature, manifest, listingVersion: previous.listingVersion, renderedListing });
  const paths = changed.map((d) => d.path);
  await deps.cdn.invalidate(paths);
  return paths;
}
