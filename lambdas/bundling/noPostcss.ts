/**
 * Stand-in for `postcss` in the Lambda bundles (lib/constructs/lambdaBundling.ts aliases it):
 * sanitize-html imports it only to parse `style` attributes, which the sanitizer never allows
 * (lambdas/core/article/sanitize.ts, parseStyleAttributes: false). Saves postcss and source-map-js.
 */
export function parse(): never {
  throw new Error('postcss is not bundled: style attributes are never parsed (see lambdas/bundling/noPostcss.ts)');
}
