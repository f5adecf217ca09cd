// sim/: a deterministic simulated shop (catalog, users, their queries and clicks) for the demo, tests and
// A/B dry runs. A library: it imports only core/. Its users talk to any engine adapted to ShopBackend.
export { generateWorld, DEFAULT_WORLD_CONFIG, type World, type WorldConfig } from './world.js';
export type { CategoryNode } from './categories.js';
export type { ItemTruth } from './item-truth.js';
export type { UserTruth, InputStyle } from './users.js';
export { gradeRelevance, inPriceBand, PRICE_BAND_LEVEL, type Intent, type PriceBand, type Relevance } from './intent.js';
export { LATENT_DIM } from './latent.js';
export type { ShopBackend, SearchRequest, RecommendRequest, SuggestRequest } from './shop-backend.js';
export { simulateTraffic, countSessions, DEFAULT_TRAFFIC_CONFIG, type TrafficConfig } from './traffic.js';
export { DEFAULT_SESSION_BEHAVIOUR, type SessionBehaviour, type SessionLog, type SearchTruth } from './session.js';
export { DEFAULT_CLICK_MODEL, LIST_EFFECTS, type ClickModel } from './click-model.js';
export { summarize, type TrafficSummary, type SurfaceSummary } from './summary.js';
export { randomBackend, popularityBackend, type ObservingBackend, type PopularityBackendOptions } from './baselines.js';
