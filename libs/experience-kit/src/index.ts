export { conditionalReads, entityTag, ifNoneMatchHolds, markStale, withStaleMarker } from './conditional-reads';
export { LastGoodAnswers } from './last-good-answers';
