#!/usr/bin/env node
// `npx quarry` once installed: runs the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/bin.ts');
