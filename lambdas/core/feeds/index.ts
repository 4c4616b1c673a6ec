export { allTargets, sectionTarget, tagTarget, targetsTouchedBy, type ArticleChange, type ArticleImage, type FeedTarget } from './feedTarget.js';
