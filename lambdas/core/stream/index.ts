export { matchesAnyFilter, matchesFilterPattern, regenerationFilterPatterns } from './filter.js';
