import type { Article } from '../../article/types.js';
import type { FeedContext } from '../context.js';
import { namespaceDeclarations } from '../xml.js';
import { dublinCore } from './dublinCore.js';
import { feedHistory } from './feedHistory.js';
import { mediaRss } from './media.js';
import type { FeedExtension } from './types.js';
import { webSub } from './webSub.js';

/** The extensions every RSS and Atom document is written with, in this order. */
const FEED_EXTENSIONS: readonly FeedExtension[] = [webSub, feedHistory, dublinCore, mediaRss];

/**
 * What the extensions add to one document of one format; `namespaces()` then names only those
 * that wrote something, for the root element (written last, prepended: nothing is spliced in).
 */
export class ExtensionOutput {
  private readonly used = new Set<FeedExtension>();
  constructor(private readonly format: 'rss' | 'atom') {}

  channel(ctx: FeedContext): string {
    let out = '';
    for (const ext of FEED_EXTENSIONS) {
      const xml = (this.format === 'rss' ? ext.rssChannel : ext.atomChannel)?.(ctx) ?? '';
      if (xml) {
        this.used.add(ext);
        out += xml;
      }
    }
    return out;
  }

  item(ctx: FeedContext, article: Article): string {
    let out = '';
    for (const ext of FEED_EXTENSIONS) {
      const xml = (this.format === 'rss' ? ext.rssItem : ext.atomItem)?.(ctx, article) ?? '';
      if (xml) {
        this.used.add(ext);
        out += xml;
      }
    }
    return out;
  }

  /** ` xmlns:p="uri"` for each extension that contributed, in registry order. */
  namespaces(): string {
    return namespaceDeclarations(FEED_EXTENSIONS.filter((e) => this.used.has(e) && e.namespace).map((e) => e.namespace!));
  }
}
