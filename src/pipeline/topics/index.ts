/** The topics stage's public face: topic pages compiled from approved member pages, their review and store. */
export { brokenClaims, editedTopicClaims, resolveInMembers, topicClaims } from './claims.js';
export { completeTopic, memberRef, prepareTopic, TOPIC_FORMAT, TOPIC_TEMPLATES, topicKey, topicPromptHash } from './compile.js';
export { topicLogEntries, topicLogUrl } from './log.js';
export { isMember, loadMemberPages, selectMembers, type CandidatePage, type MemberSelection } from './members.js';
export {
  decideTopic,
  editTopic,
  publishedTopicClaims,
  publishedTopicFields,
  publishedTopics,
  staleReason,
  TOPIC_FIELDS,
  topicText,
  type TopicDecision,
} from './review.js';
export { lastApproved, updateTopics, type TopicsDeps, type TopicsResult } from './run.js';
export { compileTopicBatch, topicBatchFileOf, type PendingTopicBatch, type TopicBatchOptions } from './batch.js';
export { readAllTopicFiles, readTopicFile, topicsDirOf, writeTopicFile } from './store.js';
export type { BrokenClaim, TopicCompilation, TopicFile, TopicMember, TopicMemberRef, TopicSkip, TopicStatus } from './types.js';
