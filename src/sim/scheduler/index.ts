/** kube-scheduler's algorithm as pure code: cache, plugins, one scheduling cycle. See README.md. */
export { type DomainIndex, type NodeImage, type NodeInfoView, PodGroup, SchedulerCache } from './cache';
export {
  type CycleContext,
  defaultNormalizeScore,
  type FailureCode,
  type FilterFailure,
  type FilterPlugin,
  failureById,
  MAX_NODE_SCORE,
  type ScorePlugin,
} from './framework';
export { defaultProfile, type Profile } from './plugins/registry';
export { type PodInfo, podInfo } from './podInfo';
export { cpuToMilli, memoryToBytes, milliValue, parseQuantity, value } from './quantity';
export {
  ERR_NO_NODES_AVAILABLE,
  type FilterVerdict,
  fitErrorMessage,
  type NodeAttempt,
  numFeasibleNodesToFind,
  type PluginScore,
  type SchedulePodOptions,
  type ScheduleResult,
  type SchedulerState,
  type SchedulingAttempt,
  schedulePod,
} from './schedule';
