/**
 * Where render time goes: CPU-profiles `renderSectionFeeds` (or, with --bare, the bare `feed`
 * baseline) on N items and prints self time by package / core file and the top functions.
 *
 *   npx tsx bench/profileRender.ts [--items 50] [--seconds 5] [--bare] [--out bench/.out/render.cpuprofile]
 *
 * The .cpuprofile opens in Chrome DevTools (Performance) or VS Code.
 */
import { parseArgs } from 'node:util';
import { renderSectionFeeds } from '../lambdas/core/render/index.js';
import { benchConfig, sectionArticles } from './lib/fixtures.js';
import { profileFunction } from './lib/profile.js';
import { renderBare } from './suites/render.js';

const { values } = parseArgs({
  options: { items: { type: 'string', default: '50' }, seconds: { type: 'string', default: '5' }, bare: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const items = Number(values.items);
const config = benchConfig(Math.max(50, items));
const section = config.sections[0]!;
const articles = sectionArticles(config, items, section.name);
const render = values.bare ? () => renderBare(config, section, articles) : () => renderSectionFeeds(config, section, 'https://feeds.news.test.example', articles);
const summary = await profileFunction(render, { seconds: Number(values.seconds), ...(values.out && { out: values.out }) });
console.log(`${values.bare ? 'bare feed' : 'renderSectionFeeds'}, ${items} items: ${summary.iterations} iterations, ${summary.msPerIteration} ms each (under the profiler)`);
console.log('\nself time by origin:');
for (const o of summary.byOrigin) console.log(`  ${String(o.selfPct).padStart(5)} %  ${o.origin}`);
console.log('\ntop functions (self time):');
for (const f of summary.topFunctions) console.log(`  ${String(f.selfPct).padStart(5)} %  ${f.fn}  ${f.where}`);
