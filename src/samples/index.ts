// samples/: training samples from the event log — impressions joined to their outcomes, features as of
// the impression, time splits, negative down-sampling, export to libffm/libsvm/CSV.
export { buildSamples, DEFAULT_SAMPLE_BUILDER_CONFIG, SampleBuilder, type Sample, type SampleBuilderConfig } from './sample-builder.js';
export { samplesToCsv, toLibffmLine, toLibsvmLine } from './sample-export.js';
export { downsampleNegatives, splitByTime, type TimeSplit } from './split.js';
