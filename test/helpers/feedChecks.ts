import { parseFeed } from '@rowanmanning/feed-parser';
import { SaxesParser } from 'saxes';

/** Strict XML 1.0 well-formedness (saxes rejects invalid characters, bad CDATA, unbound prefixes). */
export function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let failure: Error | undefined;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.write(xml).close();
  if (failure) throw new Error(`not well-formed XML: ${failure.message}`);
}

/** Parses with a real, widely used npm feed parser; throws if it cannot make sense of the document. */
export function parseWithFeedParser(xml: string) {
  assertWellFormedXml(xml);
  return parseFeed(xml);
}
