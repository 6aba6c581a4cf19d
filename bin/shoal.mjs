#!/usr/bin/env node
// Loads the TypeScript sources through tsx, so the command works straight from a clone.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
await main(process.argv);
