// `npm run bench`: every benchmark in sequence (never two at once: the machine has 2 cores).
// BENCH_ONLY=train|reducers|conv|maps|vae picks one.
import { benchConv } from './conv.js';
import { benchMaps } from './maps.js';
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
