#!/usr/bin/env node
// The `forcefield` command. Runs on Node 24 (from the project's `node` dependency), which
// executes TypeScript directly by stripping types.
import { processIo } from '../src/cli/cli-io.ts';
import { runCli } from '../src/cli/commands.ts';
import { FORCEFIELD_COMMANDS } from './commands.ts';

runCli(FORCEFIELD_COMMANDS, process.argv.slice(2), processIo()).then((code) => {
  if (code !== 0) process.exitCode = code;
});
