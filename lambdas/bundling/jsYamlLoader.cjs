'use strict';
/**
 * Stand-in for `js-yaml` (3.x, gray-matter's) in the Lambda bundles (lib/constructs/lambdaBundling.ts
 * aliases it): front matter is only read, with js-yaml's own safeLoad (its loader module, by path),
 * never written, so the dumper stays out. gray-matter binds both at load, hence the throwing safeDump.
 */
const { safeLoad } = require('../../node_modules/js-yaml/lib/js-yaml/loader.js');

module.exports = {
  safeLoad,
  safeDump() {
    throw new Error('YAML output is not bundled: the functions only read front matter (see lambdas/bundling/jsYamlLoader.cjs)');
  },
};
