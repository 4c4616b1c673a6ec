/**
 * Stand-in for `htmlparser2` in the Lambda bundles (lib/constructs/lambdaBundling.ts aliases it):
 * sanitize-html, its only user here, calls nothing but `new htmlparser.Parser(...)`, yet its
 * `require('htmlparser2')` takes the whole package index, which re-exports DomHandler and DomUtils
 * and with them dom-serializer and its own older copy of entities (about 110 KiB minified, with
 * the HTML-encoding trie built at load). This is the package's very Parser module, by path: its
 * package.json exports only the index.
 */
export { Parser } from '../../node_modules/htmlparser2/dist/esm/Parser.js';
