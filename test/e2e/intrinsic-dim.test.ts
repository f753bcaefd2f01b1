// End-to-end tests of `aedr intrinsic-dim`: the --quick synthetic table as a real process through
// tsx (exit code, report folder, the table in results.json with the AE estimate exact on the
// linear manifolds), a labelled data file in-process (kNN accuracy per latent size, its chart),
// and the errors for bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifold } from '../../src/data/manifold.js';
import { aedr, aedrProcess, failsWithError } from '../helpers/cli.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-idim-e2e-'));
  // A 2-d plane in R^6 (150 rows) with labels by the sign of its first coordinate.
  const d = manifold('linear', 2, 6, 150, { seed: 9 });
  const rows: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < 150; i++) {
    rows.push(Array.from(d.x.data.subarray(6 * i, 6 * i + 6)).join(','));
    labels.push(d.params.data[2 * i] > 0 ? 'right' : 'left');
  }
  writeFileSync(join(dir, 'plane.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'labels.txt'), labels.join('\n') + '\n');
  writeFileSync(join(dir, 'short-labels.txt'), labels.slice(0, 9).join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('aedr intrinsic-dim --quick: the synthetic table, its pass rates and charts', () => {
  const out = join(dir, 'quick');
  const r = aedrProcess('intrinsic-dim', '--quick', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['index.html', 'results.md', 'results.json', 'estimates.png', 'ae-curves.png'])
    assert.ok(existsSync(join(out, f)) && statSync(join(out, f)).size > 500, `${f} written`);
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    table: {
      rows: { kind: string; d: number; noise: number; ae: number | null; mle: number }[];
      rates: { group: string; cases: number }[];
    };
  };
  // 3 kinds x d in {1, 4} x noise {0, 0.01}.
  assert.equal(res.table.rows.length, 12);
  assert.equal(res.table.rates[0].group, 'all');
  assert.equal(res.table.rates[0].cases, 12);
  // On a linear subspace the held-out error reaches the noise floor at k = d.
  for (const row of res.table.rows.filter((x) => x.kind === 'linear'))
    assert.equal(row.ae, row.d, JSON.stringify(row));
  // MLE is exact-ish on noise-free data (within ±1).
  for (const row of res.table.rows.filter((x) => x.noise === 0))
    assert.ok(Math.abs(row.mle - row.d) <= 1, JSON.stringify(row));
  assert.match(r.stdout, /within ±1 over 12 cases: AE /);
  assert.match(r.stdout, /wrote 5 files/);
});

test('aedr intrinsic-dim --data with --labels: estimates and kNN accuracy per latent size', async () => {
  const out = join(dir, 'plane');
  const r = await aedr(
    'intrinsic-dim',
    '--data',
    join(dir, 'plane.csv'),
    '--labels',
    join(dir, 'labels.txt'),
    '--latent',
    '1,2,3,4',
    '--epochs',
    '30',
    '--mle',
    'levina-bickel',
    '--quiet',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    table?: unknown;
    data: {
      n: number;
      testRows: number;
      pca: { k95: number };
      ae: { steps: { knnAccuracy?: number }[] };
      mle: { value: number; plain: number; variant: string };
    };
  };
  assert.equal(res.table, undefined);
  assert.equal(res.data.n, 120);
  assert.equal(res.data.testRows, 30);
  assert.equal(res.data.pca.k95, 2);
  assert.equal(res.data.mle.variant, 'levina-bickel');
  assert.equal(
    res.data.mle.value,
    res.data.mle.plain,
    '--mle levina-bickel reports the plain value',
  );
  assert.equal(res.data.ae.steps.length, 4);
  assert.ok(res.data.ae.steps.every((s) => typeof s.knnAccuracy === 'number'));
  assert.ok(existsSync(join(out, 'data-knn.png')) && existsSync(join(out, 'data-mse.png')));
});

test('aedr intrinsic-dim: bad input gives one clear error line', async () => {
  const csv = join(dir, 'plane.csv');
  await failsWithError(
    2,
    /--labels belongs to --data/,
    'intrinsic-dim',
    '--labels',
    join(dir, 'labels.txt'),
  );
  await failsWithError(
    2,
    /--synthetic adds the table to a --data run/,
    'intrinsic-dim',
    '--synthetic',
  );
  await failsWithError(
    2,
    /--latent needs at least 2 sizes for a curve, got 5/,
    'intrinsic-dim',
    '--latent',
    '5',
  );
  await failsWithError(
    2,
    /option '--latent <sizes>' argument 'a,b' is invalid/,
    'intrinsic-dim',
    '--latent',
    'a,b',
  );
  await failsWithError(
    1,
    /short-labels\.txt: has 9 labels but the data .* has 150 rows/,
    'intrinsic-dim',
    '--data',
    csv,
    '--labels',
    join(dir, 'short-labels.txt'),
    '--quiet',
  );
  await failsWithError(
    1,
    /mnist has its own labels/,
    'intrinsic-dim',
    '--data',
    'mnist',
    '--labels',
    join(dir, 'labels.txt'),
  );
  await failsWithError(1, /nope\.csv/, 'intrinsic-dim', '--data', join(dir, 'nope.csv'));
});
