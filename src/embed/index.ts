// embed/: item and user embeddings learned from the interaction log (BPR matrix factorisation), their
// file format, the fold-in of users the model has not seen, and item vectors a user brings.
export {
  hasItem,
  interactionsFromRecords,
  selectInteractions,
  userItemSets,
  validateInteractions,
  type InteractionRecord,
  type Interactions,
  type UserItemSets,
} from './interactions.js';
export { BprModel, type BprTables } from './bpr-model.js';
export { BprSgd, bprTripleLoss, negLogSigmoid, type BprStepParams } from './bpr-sgd.js';
export {
  trainBpr,
  resolveBprOptions,
  sampleNegative,
  DEFAULT_BPR_OPTIONS,
  type BprOptions,
  type BprProgress,
  type BprTrainHooks,
  type BprTrainResult,
} from './bpr-trainer.js';
export { foldInUser, DEFAULT_FOLD_IN_OPTIONS, type FoldInOptions } from './fold-in.js';
export { BPR_FORMAT_VERSION, decodeBprModel, encodeBprModel, loadBprModel, saveBprModel } from './bpr-format.js';
export {
  DEFAULT_STORE_INTERACTION_OPTIONS,
  getBprModel,
  putBprModel,
  readStoreInteractions,
  trainBprFromStore,
  type StoreInteractionOptions,
} from './store-interactions.js';
export {
  ITEM_VECTORS_FORMAT_VERSION,
  ITEM_VECTORS_NAME_PATTERN,
  decodeItemVectors,
  encodeItemVectors,
  getItemVectors,
  itemVectorsModelName,
  listItemVectors,
  putItemVectors,
  type ItemVectorSet,
} from './item-vectors.js';
export {
  ITEM_VECTOR_FORMATS,
  itemVectorFormatOf,
  readItemVectors,
  unknownItemIds,
  type ItemVectorFormat,
  type ReadItemVectorsOptions,
} from './read-item-vectors.js';
