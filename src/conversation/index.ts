export type {
  Alert,
  CallSession,
  CallSessionOptions,
  FeedResult,
  Lang,
  Model,
  Severity,
  Speaker,
  StageHit,
  StageId,
  Utterance,
} from './types.js';
export { STAGE_IDS } from './types.js';
export { ALERT_THRESHOLD, DEFAULT_MAX_UTTERANCE_CHARS, createCallSession, endCall, feedUtterance, summariseCall } from './stream-session.js';
export type { CallSummary } from './stream-session.js';
export { scoreMessage } from './score-message.js';
export type { MessageScore } from './score-message.js';
export { loadModel, DEFAULT_MODEL_PATH } from './load-model.js';
export { matchStages } from './match-stages.js';
export { normaliseText } from './normalise-text.js';
export { adviseStage } from './advice.js';
export { parseConversations, parseConversationLine } from './parse-dataset.js';
export type { Conversation } from './parse-dataset.js';
export { assignSplit, isDevRow } from './split.js';
export type { Split } from './split.js';
export { evaluateConversations, replayConversation, computeMetrics } from './evaluate.js';
export type { EvalReport, EvalItem, Metrics, EarlyWarning, Scorer } from './evaluate.js';
export { trainModel, selectTrainingRows, DEFAULT_TRAIN_CONFIG } from './train-model.js';
export type { TrainConfig } from './train-model.js';
export { encodeModel, decodeModel } from './model-codec.js';
export { leaveOneGroupOut } from './holdout.js';
export type { HoldoutReport, HoldoutGroupResult, HoldoutInput, HoldoutSource } from './holdout.js';
export { robocallCampaign, holdoutGroup, ROBOCALL_CAMPAIGNS } from './holdout-groups.js';
