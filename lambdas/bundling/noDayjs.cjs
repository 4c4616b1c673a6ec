'use strict';
/**
 * Stand-in for `dayjs` in the Lambda bundles (lib/constructs/lambdaBundling.ts aliases it): launder,
 * which sanitize-html requires for its static naughtyHref alone, uses dayjs only in the date and
 * time methods of a launder instance, which nothing here creates. CommonJS, as launder calls the
 * required module itself.
 */
module.exports = function noDayjs() {
  throw new Error('dayjs is not bundled: launder date methods are never used (see lambdas/bundling/noDayjs.cjs)');
};
