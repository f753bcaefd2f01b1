import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../errors.js';
import {
  parseLatentDims,
  planRuns,
  resolveStudyConfig,
  runCost,
  STUDY_REFERENCE,
} from './config.js';

test('parseLatentDims: ranges are inclusive, lists are sorted and deduplicated', () => {
  assert.deepEqual(parseLatentDims('10:100:10'), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  assert.deepEqual(parseLatentDims('10:55:20'), [10, 30, 50]);
  assert.deepEqual(parseLatentDims('5:5:1'), [5]);
  assert.deepEqual(parseLatentDims(' 100, 10,50,10 '), [10, 50, 100]);
});

test('parseLatentDims misuse: names the text and the accepted forms', () => {
  for (const bad of ['', '10:5:1', '0:10:5', '10:20', 'ten', '10,,20', '1.5', '10:20:0']) {
    assert.throws(
      () => parseLatentDims(bad),
      (e: unknown) => e instanceof ConfigError && e.message.includes(JSON.stringify(bad.trim())),
      bad,
    );
  }
});

test('resolveStudyConfig: the study by default, the quick preset, overrides on top', () => {
  const full = resolveStudyConfig({ threads: 2 });
  assert.deepEqual(full.latentDims, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  assert.deepEqual(full.activations, ['relu', 'sigmoid']);
  assert.equal(full.epochs, 10);
  assert.equal(full.batchSize, 32);
  assert.equal(full.learningRate, 0.001);
  assert.equal(full.trainSize, 60000);
  assert.equal(full.testSize, 10000);
  assert.deepEqual(full.deep, {
    layers: [128, 64, 12, 3],
    epochs: 10,
    batchSize: 32,
    learningRate: 0.005,
  });
  assert.deepEqual(full.generation, { latent: 50, activation: 'sigmoid' });
  assert.equal(full.workers, 2);
  assert.equal(full.out, 'report');
  assert.equal(full.outputBias, 'mean');
  assert.equal(full.spin, true);
  assert.equal(resolveStudyConfig({ threads: 2, spin: false }).spin, false);
  const quick = resolveStudyConfig({ quick: true, threads: 2, epochs: 3 });
  assert.deepEqual(quick.latentDims, [10, 50]);
  assert.equal(quick.trainSize, 3000);
  assert.equal(quick.testSize, 1000);
  assert.equal(quick.epochs, 3);
  const some = resolveStudyConfig({ latentDims: [30, 10], activations: ['relu'], threads: 1 });
  assert.deepEqual(some.latentDims, [10, 30]);
  assert.deepEqual(some.generation, { latent: 30, activation: 'relu' });
  assert.equal(some.workers, 1);
});

test('resolveStudyConfig misuse: each bad option is named with its value', () => {
  const cases: [Parameters<typeof resolveStudyConfig>[0], RegExp][] = [
    [{ latentDims: [] }, /latentDims must list at least one size, got \[\]/],
    [{ latentDims: [800] }, /latent dim must be an integer in 1..784, got 800/],
    [{ activations: ['softmax' as 'relu'] }, /decoder activation must be one of .*got "softmax"/],
    [{ threads: 2, workers: 3 }, /workers must be an integer in 1..2, got 3/],
    [{ trainSize: 70000 }, /trainSize must be an integer in 2..60000, got 70000/],
    [{ trainSize: 100, batchSize: 200 }, /batchSize must be an integer in 1..100, got 200/],
    [{ deep: { layers: [64, 0] } }, /deep layer size must be an integer >= 1, got 0/],
    [{ saturationFraction: 0 }, /saturationFraction must be a finite number > 0/],
    [{ outputBias: 'one' as 'zero' }, /outputBias must be one of .*got "one"/],
    [{ conv: { filters: ['16,x'] } }, /--conv: expected filter counts such as 16,8, got '16,x'/],
    [{ conv: { noise: 'blur:1' } }, /conv noise: unknown noise kind 'blur'/],
    [{ conv: { epochs: 0 } }, /conv epochs must be an integer >= 1, got 0/],
  ];
  for (const [o, re] of cases) {
    assert.throws(
      () => resolveStudyConfig(o),
      (e: unknown) => e instanceof ConfigError && re.test(e.message),
      String(re),
    );
  }
});

test('planRuns: 20 sweep runs, the deep AE, the conv AE and PCA; ids stable, unique, and blind to threads', () => {
  const c = resolveStudyConfig({ threads: 2 });
  const runs = planRuns(c);
  assert.equal(runs.length, 23);
  assert.equal(new Set(runs.map((r) => r.id)).size, 23);
  assert.match(runs[0].id, /^latent10-relu-[0-9a-f]{10}$/);
  assert.match(runs[20].id, /^deep-128-64-12-3-[0-9a-f]{10}$/);
  assert.match(runs[21].id, /^conv-16-8-[0-9a-f]{10}$/);
  assert.equal(runs[22].kind, 'pca');
  const deep = runs[20];
  assert.ok(deep.kind === 'deep');
  assert.deepEqual(
    deep.spec.encoder.map((l) => `${l.units}:${l.activation}`),
    ['128:relu', '64:relu', '12:relu', '3:linear'],
  );
  assert.equal(deep.spec.decoder.at(-1)?.activation, 'sigmoid');
  assert.deepEqual(
    planRuns(resolveStudyConfig({ threads: 1 })).map((r) => r.id),
    runs.map((r) => r.id),
  );
  const other = planRuns(resolveStudyConfig({ threads: 2, epochs: 9 }));
  assert.notEqual(other[0].id, runs[0].id);
  assert.equal(other[22].id, runs[22].id, 'PCA does not depend on epochs');
  assert.equal(other[21].id, runs[21].id, 'the conv AE has its own epochs');
  assert.deepEqual(
    planRuns(resolveStudyConfig({ threads: 2, spin: false })).map((r) => r.id),
    runs.map((r) => r.id),
    'spin-waiting is not part of a run',
  );
  const keras = planRuns(resolveStudyConfig({ threads: 2, outputBias: 'zero' }));
  assert.ok(keras[0].kind === 'shallow' && keras[0].outputBias === 'zero');
  assert.notEqual(keras[0].id, runs[0].id, 'the output-bias start changes the run');
  assert.notEqual(keras[20].id, runs[20].id);
  assert.notEqual(keras[21].id, runs[21].id);
});

test("planRuns: the conv AE is the TensorFlow tutorial's model, and PCA gets its code size too", () => {
  const runs = planRuns(resolveStudyConfig({ threads: 2 }));
  const conv = runs[21];
  assert.ok(conv.kind === 'conv');
  // The tutorial: 3,217 parameters, code 7x7x8, Gaussian noise 0.2, Adam 1e-3, batch 32.
  assert.equal(conv.spec.params, 3217);
  assert.deepEqual(conv.spec.codeShape, [7, 7, 8]);
  assert.equal(conv.latent, 392);
  assert.deepEqual(
    [conv.noise, conv.epochs, conv.batchSize, conv.learningRate],
    ['gaussian:0.2', 3, 32, 0.001],
  );
  const pca = runs[22];
  assert.ok(pca.kind === 'pca');
  assert.deepEqual(pca.dims, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 392]);
  const two = planRuns(resolveStudyConfig({ threads: 2, conv: { filters: ['16,8', ' 16, 4'] } }));
  assert.deepEqual(
    two.filter((r) => r.kind === 'conv').map((r) => `${r.label}|${r.latent}`),
    ['conv 16,8, 7x7x8 code, gaussian:0.2|392', 'conv 16,4, 7x7x4 code, gaussian:0.2|196'],
  );
  assert.equal(two[21].id, conv.id, 'adding a model leaves the others');
  const none = planRuns(resolveStudyConfig({ threads: 2, conv: { filters: [] } }));
  assert.deepEqual(
    none.map((r) => r.kind).filter((k) => k === 'conv'),
    [],
  );
  const pcaNone = none.find((r) => r.kind === 'pca');
  assert.ok(pcaNone?.kind === 'pca' && pcaNone.dims.at(-1) === 100);
  const longer = planRuns(resolveStudyConfig({ threads: 2, conv: { epochs: 10 } }));
  assert.notEqual(longer[21].id, conv.id);
});

test('runCost grows with the latent size and the epochs', () => {
  const runs = planRuns(resolveStudyConfig({ threads: 2 }));
  const cost = (id: string): number => runCost(runs.find((r) => r.id.startsWith(id)) ?? runs[0]);
  assert.ok(cost('latent100-relu') > 2 * cost('latent10-relu'));
  assert.ok(cost('deep-') > cost('latent50-relu'));
  // The tutorial's conv AE: 3 epochs cost more than the deep AE's 10 (measured about 3 times).
  assert.ok(cost('conv-16-8') > 2 * cost('deep-'));
});

test("STUDY_REFERENCE holds the ten rows of the blog post's Keras table", () => {
  assert.equal(STUDY_REFERENCE.length, 10);
  assert.deepEqual(STUDY_REFERENCE[4], { latent: 50, trainLoss: 0.0115, testLoss: 0.0112 });
});
