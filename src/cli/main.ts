#!/usr/bin/env node
/**
 * The `aedr` executable (package.json `bin`). Installs onnxruntime as the linear-algebra backend
 * and runs the program of run.ts; see `aedr --help`.
 */
import { useOrtProduct } from '../runtime/product-backend.js';
import { processIo } from './context.js';
import { runCli } from './run.js';

useOrtProduct();
process.exitCode = await runCli(process.argv.slice(2), processIo());
