// lab/: the simulated shop wired to a live engine: the demo's history now, online A/B dry runs later.
export { simulateShop, shopBackend, readSimulationSummary, SIMULATION_META_KEY, type SimulationOptions, type SimulationSummary } from './simulate-shop.js';
