import { allTargets, type FeedTarget } from '../feeds/index.js';
import { renderSiteDocuments, type FeedListing } from '../render/index.js';
import { SITE_DOCUMENTS } from '../render/formats.js';
import type { FeedStateStore } from './feedState.js';
import { documentHash, type PublishingDeps } from './regenerateFeed.js';

export function listing(target: FeedTarget): FeedListing {
  return { title: target.channel.title, description: target.channel.description, basePath: target.basePath };
}

/**
 * The index page, OPML list and stylesheet follow the list of feeds (and the configuration): they
 * are rendered and written only when that changed since they were last published, which one read
 * of the site's state item tells; no document is read back. Returns the paths written.
 */
export async function publishSiteDocuments(deps: PublishingDeps & { state: FeedStateStore }): Promise<string[]> {
  const feeds = allTargets(deps.config).map(listing);
  // The kinds of document count too: a deploy that adds one (robots.txt) writes it.
  const signature = documentHash(JSON.stringify({ config: deps.config, base: deps.feedBaseUrl, feeds, kinds: SITE_DOCUMENTS.map((k) => k.path) }));
  const previous = await deps.state.readSite();
  if (previous.signature === signature) return [];
  const documents = renderSiteDocuments(deps.config, deps.feedBaseUrl, feeds);
  const hashed = documents.map((doc) => ({ doc, hash: documentHash(doc.body) }));
  const changed = hashed.filter(({ doc, hash }) => previous.manifest[doc.path] !== hash).map(({ doc }) => doc);
  await Promise.all(changed.map((doc) => deps.documents.put(doc)));
  // Lost to a concurrent run: it wrote the same documents from the same configuration.
  await deps.state.writeSite(previous, { signature, manifest: Object.fromEntries(hashed.map(({ doc, hash }) => [doc.path, hash])) });
  const paths = changed.map((d) => d.path);
  await deps.cdn.invalidate(paths);
  return paths;
}
