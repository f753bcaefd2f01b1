// `npm run bench`: every benchmark in sequence (never two at once: the machine has 2 cores).
// BENCH_ONLY=train|reducers|conv|maps|vae|pumap picks one. The streaming benches write tens of GB and run
// only when picked: BENCH_ONLY=stream|stream-parquet|pca-stream (BENCH_ARGS: their arguments).
// BENCH_ONLY=ae-converge (issue 12's subset target, about 25 min): bench/ae-converge-seeds.sh with
// BENCH_ARGS (default: bench/out/ae-converge 0 0,1,2,3,4 2,5,10), then its summary table.
import { spawnSync } from 'node:child_process';
import { benchConv } from './conv.js';
import { benchMaps } from './maps.js';
import { benchPumap } from './pumap.js';
import { benchReducers } from './reducers.js';
import { benchTrain } from './train.js';
import { benchVae } from './vae.js';

const only = process.env.BENCH_ONLY;
console.log(`# aedr benchmarks (${new Date().toISOString()}, node ${process.version})`);
if (!only || only === 'train') benchTrain();
if (!only || only === 'reducers') await benchReducers();
if (!only || only === 'conv') benchConv();
if (!only || only === 'maps') benchMaps();
if (!only || only === 'vae') benchVae();
if (!only || only === 'pumap') await benchPumap();
if (only === 'stream' || only === 'stream-parquet' || only === 'pca-stream') {
  const args = (process.env.BENCH_ARGS ?? '').split(' ').filter((a) => a !== '');
  spawnSync(process.execPath, ['--import', 'tsx', `bench/${only}.ts`, ...args], {
    stdio: 'inherit',
  });
}
if (only === 'ae-converge') {
  const args = (process.env.BENCH_ARGS ?? 'bench/out/ae-converge 0 0,1,2,3,4 2,5,10').split(' ');
  spawnSync('bash', ['bench/ae-converge-seeds.sh', ...args], { stdio: 'inherit' });
  spawnSync('/usr/bin/python3', ['bench/ae-converge-summary.py', args[0]], { stdio: 'inherit' });
}
