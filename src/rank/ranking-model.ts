import { IncompatibleFormatError } from '../core/index.js';
import { Featurizer, type FeaturizerJson } from '../features/index.js';
import { decodeCtrModel, encodeCtrModel, type CtrModelBundle } from '../models/index.js';

/**
 * What the CTR ranker serves: the fitted featurizer and the two models trained through it, the CTR
 * model (click per impression) and the CVR model (purchase per click). Stored as one blob in the
 * store's model registry under {@link RANKING_MODEL_NAME}.
 */
export interface RankingModel {
  featurizer: Featurizer;
  ctr: CtrModelBundle;
  cvr?: CtrModelBundle;
  /** Facts about the training run (sizes, split times, test metrics), kept as is. */
  metadata: Record<string, string | number>;
}

export const RANKING_MODEL_NAME = 'ranking';
export const RANKING_MODEL_FORMAT_VERSION = 1;
const MAGIC = 'QRNK';

interface Header {
  featurizer: FeaturizerJson;
  metadata: Record<string, string | number>;
  ctrBytes: number;
  cvrBytes: number;
}

/**
 * Layout: `QRNK`, u32 format version, u32 header length, the header (UTF-8 JSON), then the CTR
 * model file and the CVR model file (models/ `encodeCtrModel`), back to back.
 */
export function encodeRankingModel(model: RankingModel): Uint8Array {
  const ctr = encodeCtrModel(model.ctr);
  const cvr = model.cvr === undefined ? new Uint8Array(0) : encodeCtrModel(model.cvr);
  const header: Header = { featurizer: model.featurizer.toJSON(), metadata: model.metadata, ctrBytes: ctr.length, cvrBytes: cvr.length };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + headerBytes.length + ctr.length + cvr.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, RANKING_MODEL_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  out.set(ctr, 12 + headerBytes.length);
  out.set(cvr, 12 + headerBytes.length + ctr.length);
  return out;
}

/** @throws IncompatibleFormatError for bytes that are not a ranking model of this format version. */
export function decodeRankingModel(bytes: Uint8Array): RankingModel {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new IncompatibleFormatError(`not a Quarry ranking model (magic "${MAGIC}" expected)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== RANKING_MODEL_FORMAT_VERSION) {
    throw new IncompatibleFormatError(`ranking model format version ${version} is not supported (this build reads ${RANKING_MODEL_FORMAT_VERSION})`);
  }
  const headerLength = view.getUint32(8, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Header;
  } catch (cause) {
    throw new IncompatibleFormatError('ranking model header is not valid JSON', { cause });
  }
  const ctrStart = 12 + headerLength;
  if (bytes.length !== ctrStart + header.ctrBytes + header.cvrBytes) {
    throw new IncompatibleFormatError(`ranking model is ${bytes.length} bytes; its header promises ${ctrStart + header.ctrBytes + header.cvrBytes}`);
  }
  const model: RankingModel = {
    featurizer: Featurizer.fromJSON(header.featurizer),
    ctr: decodeCtrModel(bytes.subarray(ctrStart, ctrStart + header.ctrBytes)),
    metadata: header.metadata,
  };
  if (header.cvrBytes > 0) model.cvr = decodeCtrModel(bytes.subarray(ctrStart + header.ctrBytes));
  return model;
}
