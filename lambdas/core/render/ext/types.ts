import type { Article } from '../../article/types.js';
import type { FeedContext } from '../context.js';

/**
 * A feed extension, as python-feedgen's ext/ modules or WordPress's rss2_ns / rss2_item hooks:
 * one namespace, and what it adds to each format's channel and items (already-written XML, ''
 * for nothing). A writer declares the namespace on its root only when the extension wrote something.
 */
export interface FeedExtension {
  /** Namespace prefix and URI; undefined for an extension that writes elements of the host format only. */
  namespace?: { prefix: string; uri: string };
  rssChannel?(ctx: FeedContext): string;
  atomChannel?(ctx: FeedContext): string;
  rssItem?(ctx: FeedContext, article: Article): string;
  atomItem?(ctx: FeedContext, article: Article): string;
}
