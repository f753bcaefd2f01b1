// Enforces the architecture of STYLE.md: a folder of src/ imports only from folders listed
// before it, and only src/runtime imports onnxruntime-node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const ORDER = [
  'errors',
  'util',
  'linalg',
  'data',
  'metrics',
  'graph',
  'onnx',
  'runtime',
  'accel',
  'nn',
  'optim',
  'train',
  'reducers',
  'report',
  'experiments',
  'cli',
  'web',
];
const SRC = resolve('src');

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  const top = rel.split('/')[0];
  return top.replace(/\.ts$/, '');
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

test('each folder imports only from folders before it', () => {
  const problems: string[] = [];
  for (const file of sources(SRC)) {
    const from = layerOf(file);
    if (from === 'index') continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('onnxruntime-node') && from !== 'runtime') {
        problems.push(`${relative(SRC, file)} imports onnxruntime-node (only runtime/ may)`);
      }
      if (!spec.startsWith('.')) continue;
      const target = layerOf(resolve(dirname(file), spec));
      if (target === from) continue;
      if (target === 'index' || ORDER.indexOf(target) > ORDER.indexOf(from)) {
        problems.push(`${relative(SRC, file)} (${from}) imports ${spec} (${target})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('every folder of src is in the layer order', () => {
  const dirs = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
  for (const d of dirs) assert.ok(ORDER.includes(d), `src/${d} is not in the layer order`);
});
