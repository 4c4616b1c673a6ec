/**
 * How every Lambda of the stack is bundled (issue 14: small functions), in one place so that the
 * stack (publisherFunction.ts), the bench's cold-start proxy and the bundle-size test build the very
 * same bytes.
 */

/**
 * esbuild emits ESM; CommonJS dependencies bundled into it (gray-matter, sanitize-html's deps)
 * still call `require` for Node built-ins, which ESM lacks: this banner provides one.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire as __publisherCreateRequire } from 'node:module'; const require = __publisherCreateRequire(import.meta.url);";

/** ESM builds first: the AWS SDK's dist-es tree-shakes, its CommonJS dist does not. */
export const MAIN_FIELDS = ['module', 'main'];

/**
 * Modules replaced in every bundle by a small stand-in (paths relative to the project root, where
 * esbuild runs), each for code a function never runs:
 * - the SDK's default credential chain (SSO, profiles, STS web identity, IMDS, with their nested
 *   clients): a Lambda function's credentials are always in its environment;
 * - postcss (and source-map-js under it): sanitize-html parses only `style` attributes with it,
 *   which the sanitizer never allows (and it sets parseStyleAttributes: false);
 * - htmlparser2's index (DomHandler, DomUtils, dom-serializer and a second copy of entities): sanitize-html
 *   uses only its Parser, which the stand-in re-exports from the package itself;
 * - dayjs: launder (sanitize-html's, for naughtyHref) needs it only for date methods never called;
 * - js-yaml's dumper and full schema: gray-matter only reads front matter here (js-yaml's own safeLoad).
 */
export const BUNDLE_ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': './lambdas/bundling/lambdaEnvCredentials.ts',
  postcss: './lambdas/bundling/noPostcss.ts',
  htmlparser2: './lambdas/bundling/htmlparser2Parser.ts',
  dayjs: './lambdas/bundling/noDayjs.cjs',
  'js-yaml': './lambdas/bundling/jsYamlLoader.cjs',
};

/** The same, as NodejsFunction's esbuildArgs (`--alias:from=to`). */
export const BUNDLE_ESBUILD_ARGS = { '--alias': Object.entries(BUNDLE_ALIASES).map(([from, to]) => `${from}=${to}`) };

/** Ceiling of each bundle's index.mjs (bench target and test/integration/bundling.test.ts). */
export const BUNDLE_MAX_BYTES = 600 * 1024;
