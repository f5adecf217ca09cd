// Entry point of `npm run quarry` and `npm start`.
import { runCli } from './main.js';

// `quarry export events | head` closes the pipe early: that is a normal end, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
