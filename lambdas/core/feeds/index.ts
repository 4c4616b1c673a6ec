export { allTargets, sectionTarget, targetsTouchedBy, type ArticleChange, type ArticleImage, type FeedTarget } from './feedTarget.js';
