// lab/: the loop around the engine: the simulated shop wired to a live engine, training the ranking
// models from the event log, and A/B dry runs in the simulator.
export { exploringBackend, type ExplorationConfig } from './exploring-backend.js';
export { simulateShop, shopBackend, readSimulationSummary, SIMULATION_META_KEY, type SimulationOptions, type SimulationSummary } from './simulate-shop.js';
export {
  DEFAULT_CTR_TRAINING_CONFIG,
  trainRankingModel,
  type CtrTrainingConfig,
  type CtrTrainingOptions,
  type CtrTrainingReport,
  type ModelReport,
  type TestMetrics,
  type TrainingPhase,
} from './ctr-training.js';
export {
  AB_METRICS,
  DEFAULT_AB_TEST_CONFIG,
  measureArm,
  runAbTest,
  tInterval,
  type AbArm,
  type AbMetric,
  type AbTestConfig,
  type AbTestOptions,
  type AbTestResult,
  type ArmMetrics,
  type Interval,
} from './ab-test.js';
export { DEFAULT_RERANK_AB_CHAINS, DEFAULT_RERANK_AB_CONFIG, RERANK_AB_METRICS, runRerankAb, type RerankAbReport, type RerankAbResult } from './rerank-ab.js';
export {
  DEFAULT_FROZEN_FEATURES,
  DEFAULT_LIST_RERANK_TRAINING_CONFIG,
  evaluateLists,
  evaluateWithInterval,
  readLoggedLists,
  trainListReranker,
  type ListRerankReport,
  type LoggedList,
} from './list-rerank-training.js';
export {
  DEFAULT_RERANK_CHAINS,
  DEFAULT_RERANK_EVAL_CONFIG,
  presetChain,
  runRerankEval,
  type RerankChain,
  type RerankEvalConfig,
  type RerankEvalReport,
} from './rerank-eval.js';
export { readStoreSearches, type StoreSearchLog, type NextQueryReport } from './suggest-store-eval.js';
