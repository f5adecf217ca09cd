import fc from 'fast-check';

// Property tests run with a fixed seed, so `npm test` is deterministic like everything else here. Set
// FC_SEED to explore other inputs (a failure prints its seed and path to replay it).
fc.configureGlobal({ seed: process.env.FC_SEED === undefined ? 20261129 : Number(process.env.FC_SEED) });
