export {
  allTargets,
  authorTarget,
  leavingTimeOf,
  sectionTarget,
  tagTarget,
  targetFor,
  targetsOfChange,
  type ArticleChange,
  type ArticleImage,
  type FeedTarget,
} from './feedTarget.js';
export { automaticSlug, entryPartitions, MAX_FEED_ENTRIES, membershipRules, type Membership, type MembershipConfig, type MembershipRules } from './membership.js';
