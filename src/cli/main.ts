#!/usr/bin/env node
/**
 * The `aedr` executable (package.json `bin`): runs the program of run.ts; see `aedr --help`.
 * Each command that computes makes its own compute backend from its flags (compute.ts).
 */
import { processIo } from './context.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
