// cli/: the `quarry` command. Translates arguments into calls; no logic of its own.
export { runCli, EXIT } from './main.js';
export { recordingTerminal, processTerminal, type Terminal } from './terminal.js';
