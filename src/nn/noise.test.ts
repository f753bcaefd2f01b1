// Denoising corruption: the parser's forms and errors, and each kind's statistics on seeded
// draws (tolerances: 5 binomial / normal standard errors, so a correct sampler fails with
// probability below 1e-6 and a wrong rate or scale by 10% fails for these sizes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corrupt, dataRange, formatNoise, parseNoise } from './noise.js';
import { Rng } from '../util/rng.js';
import { ConfigError } from '../errors.js';

const N = 40000;
const mid = (): Float32Array => new Float32Array(N).fill(0.5);
const unit = { min: 0, max: 1 };

test('parseNoise reads each kind, chains, none, and formats back', () => {
  assert.deepEqual(parseNoise('gaussian:0.2'), [{ kind: 'gaussian', std: 0.2 }]);
  assert.deepEqual(parseNoise(' masking : 0.3 '), [{ kind: 'masking', rate: 0.3 }]);
  assert.deepEqual(parseNoise('salt-pepper:0.1'), [{ kind: 'salt-pepper', rate: 0.1 }]);
  const chain = parseNoise('masking:0.3,gaussian:0.1');
  assert.deepEqual(chain, [
    { kind: 'masking', rate: 0.3 },
    { kind: 'gaussian', std: 0.1 },
  ]);
  assert.equal(formatNoise(chain), 'masking:0.3,gaussian:0.1');
  assert.deepEqual(parseNoise('none'), []);
  assert.deepEqual(parseNoise(''), []);
  assert.equal(formatNoise([]), 'none');
});

test('parseNoise errors name the part, the value and the accepted forms', () => {
  const err = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);
  assert.throws(
    () => parseNoise('gauss:0.2'),
    err(
      /noise: unknown noise kind 'gauss' in 'gauss:0.2'; expected one of gaussian, masking, salt-pepper/,
    ),
  );
  assert.throws(
    () => parseNoise('gaussian'),
    err(
      /noise: expected kind:amount, got 'gaussian'; use gaussian:0.2, masking:0.3 or salt-pepper:0.1/,
    ),
  );
  assert.throws(
    () => parseNoise('gaussian:-1'),
    err(/noise: gaussian needs a standard deviation >= 0, got '-1'/),
  );
  assert.throws(
    () => parseNoise('masking:1.5'),
    err(/noise: masking needs a probability in \[0, 1\], got '1.5' \(e.g. masking:0.1\)/),
  );
  assert.throws(
    () => parseNoise('salt-pepper:abc', '--noise'),
    err(/--noise: salt-pepper needs a probability in \[0, 1\], got 'abc'/),
  );
});

test('gaussian noise: mean 0 and the given std inside the range, clipped at its ends', () => {
  const x = mid();
  const y = corrupt(x, [{ kind: 'gaussian', std: 0.1 }], new Rng(1), unit);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const d = y[i] - 0.5;
    s += d;
    s2 += d * d;
  }
  const mean = s / N;
  const std = Math.sqrt(s2 / N - mean * mean);
  // 0.5 ± 0.1 is clipped only beyond 5σ; se(mean) = 0.1/√N, se(std) ≈ 0.1/√(2N).
  assert.ok(Math.abs(mean) < (5 * 0.1) / Math.sqrt(N), `mean ${mean}`);
  assert.ok(Math.abs(std - 0.1) < (5 * 0.1) / Math.sqrt(2 * N), `std ${std}`);
  assert.ok(
    x.every((v) => v === 0.5),
    'input unchanged',
  );
  const edge = corrupt(new Float32Array(N), [{ kind: 'gaussian', std: 0.2 }], new Rng(2), unit);
  assert.ok(
    edge.every((v) => v >= 0 && v <= 1),
    'clipped to [0, 1]',
  );
  const zeros = edge.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / N - 0.5) < 5 * Math.sqrt(0.25 / N), `half clipped to 0: ${zeros}`);
});

test('masking sets values to the minimum at the given rate; salt-pepper to min or max', () => {
  const p = 0.3;
  const se = 5 * Math.sqrt((p * (1 - p)) / N);
  const m = corrupt(mid(), [{ kind: 'masking', rate: p }], new Rng(3), { min: -1, max: 2 });
  const masked = m.filter((v) => v === -1).length;
  assert.equal(masked + m.filter((v) => v === 0.5).length, N);
  assert.ok(Math.abs(masked / N - p) < se, `masked ${masked / N}`);
  const sp = corrupt(mid(), [{ kind: 'salt-pepper', rate: p }], new Rng(4), unit);
  const lo = sp.filter((v) => v === 0).length;
  const hi = sp.filter((v) => v === 1).length;
  assert.equal(lo + hi + sp.filter((v) => v === 0.5).length, N);
  assert.ok(Math.abs((lo + hi) / N - p) < se, `changed ${(lo + hi) / N}`);
  assert.ok(
    Math.abs(lo / (lo + hi) - 0.5) < 5 * Math.sqrt(0.25 / (lo + hi)),
    `pepper share ${lo / (lo + hi)}`,
  );
});

test('corruption is reproducible from the seed and uses no Math.random', () => {
  const specs = parseNoise('masking:0.2,gaussian:0.2,salt-pepper:0.05');
  const x = Float32Array.from({ length: 1000 }, (_, i) => (i % 17) / 16);
  const saved = Math.random;
  Math.random = () => {
    throw new Error('Math.random used');
  };
  try {
    const a = corrupt(x, specs, new Rng(9), unit);
    const b = corrupt(x, specs, new Rng(9), unit, new Float32Array(1000));
    const c = corrupt(x, specs, new Rng(10), unit);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  } finally {
    Math.random = saved;
  }
});

test('corrupt and dataRange refuse bad ranges and buffers', () => {
  const x = new Float32Array(4);
  assert.throws(
    () => corrupt(x, [], new Rng(1), { min: 1, max: 0 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /corrupt: range must be finite with min <= max, got \[1, 0\]/.test(e.message),
  );
  assert.throws(
    () => corrupt(x, [], new Rng(1), unit, x),
    /corrupt: out must be a separate array of 4 values, got the input itself/,
  );
  assert.throws(() => corrupt(x, [], new Rng(1), unit, new Float32Array(3)), /got 3 values/);
  assert.deepEqual(dataRange([0.2, -1, 3]), { min: -1, max: 3 });
  assert.throws(() => dataRange([]), /dataRange: the data holds no finite values/);
});
