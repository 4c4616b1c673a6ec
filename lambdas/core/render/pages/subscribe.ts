import { escapeHtml } from '../../article/text.js';
import { FEED_FORMAT_NAMES as FORMATS, type FeedFormat } from '../../urls.js';
import { attr } from './layout.js';

const FORMAT_LABELS: Record<FeedFormat, string> = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' };
const SHORT_LABELS: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };
const FORMAT_TYPES: Record<FeedFormat, string> = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' };


export function autodiscoveryLinks(title: string, urls: Record<FeedFormat, string>): string {
  return FORMATS.map((f) => `<link rel="alternate" type="${FORMAT_TYPES[f]}" title="${attr(`${title} (${FORMAT_LABELS[f]})`)}" href="${attr(urls[f])}">`).join('\n');
}

/**
 * One-click subscription: the `feed:` URL (handed to the feed app registered on the device) and
 * the subscribe pages of the common web readers, each given the RSS address.
 */
export function readerLinks(feedUrl: string): { name: string; href: string }[] {
  const encoded = encodeURIComponent(feedUrl);
  return [
    { name: 'Feedly', href: `https://feedly.com/i/subscription/feed%2F${encoded}` },
    { name: 'Inoreader', href: `https://www.inoreader.com/?add_feed=${encoded}` },
    { name: 'NewsBlur', href: `https://www.newsblur.com/?url=${encoded}` },
    { name: 'The Old Reader', href: `https://theoldreader.com/feeds/subscribe?url=${encoded}` },
  ];
}

/** `feed:https://…` (RFC-less but long-standing: feed apps register the scheme). */
const feedSchemeUrl = (feedUrl: string) => `feed:${feedUrl}`;

/** A feed page's "how to subscribe" box: open in a reader with one click, or copy an address. */
export function subscribeBox(urls: Record<FeedFormat, string>): string {
  const readers = readerLinks(urls.rss)
    .map((r) => `<li><a class="button" href="${attr(r.href)}" rel="noopener">${escapeHtml(r.name)}</a></li>`)
    .join('');
  const addresses = FORMATS.map(
    (f) =>
      `<li><span class="format">${FORMAT_LABELS[f]}</span> <a class="feed-url" href="${attr(urls[f])}" type="${FORMAT_TYPES[f]}">${escapeHtml(urls[f])}</a> <button type="button" class="button copy" data-copy="${attr(urls[f])}" aria-label="Copy the ${FORMAT_LABELS[f]} address" hidden>Copy</button></li>`,
  ).join('\n');
  return `<section class="subscribe" aria-labelledby="subscribe-heading"><h2 id="subscribe-heading">How to subscribe</h2>
<p>Open this feed in a reader:</p>
<ul class="readers"><li><a class="button primary" href="${attr(feedSchemeUrl(urls.rss))}">Open in your feed app</a></li>${readers}</ul>
<p>Or copy an address into any feed reader (NetNewsWire, Miniflux, Thunderbird…):</p>
<ul class="addresses">
${addresses}
</ul></section>`;
}

/** The compact line the index page shows per feed: its three formats as plain links. */
export function formatLinks(urls: Record<FeedFormat, string>): string {
  return FORMATS.map((f) => `<a href="${attr(urls[f])}" type="${FORMAT_TYPES[f]}">${SHORT_LABELS[f]}</a>`).join(' · ');
}
