export { matchesAnyFilter, matchesFilterPattern, regenerationFilterPatterns, regenerationFilterPatternsFor } from './filter.js';
