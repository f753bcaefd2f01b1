// Model specs: the tutorial shorthand's shapes and its 3,217 parameters (the figure in issue 14,
// from PyTorch 1.13 / Keras summary), Keras-blog-style pooling models, and every misuse
// pinned to its error class and a message naming the layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  convShorthand,
  describeLayers,
  parseInputShape,
  parseLayer,
  parseModelSpec,
} from './layer-spec.js';
import { ConfigError, ShapeError } from '../errors.js';

test('--conv 16,8 expands to the TensorFlow tutorial model: shapes and 3,217 parameters', () => {
  const spec = convShorthand('16,8', parseInputShape('28x28x1'));
  assert.deepEqual(
    spec.encoder.map((l) => l.output),
    [
      [14, 14, 16],
      [7, 7, 8],
    ],
  );
  assert.deepEqual(spec.codeShape, [7, 7, 8]);
  assert.deepEqual(
    spec.decoder.map((l) => [l.layer.type, ...l.output]),
    [
      ['Conv2DTranspose', 14, 14, 8],
      ['Conv2DTranspose', 28, 28, 16],
      ['Conv2D', 28, 28, 1],
    ],
  );
  assert.equal(spec.params, 3217);
  assert.deepEqual(spec.decoder[2].layer, {
    type: 'Conv2D',
    filters: 1,
    kernelSize: [3, 3],
    strides: [1, 1],
    padding: 'same',
    activation: 'sigmoid',
  });
  assert.deepEqual(describeLayers(spec), [
    'input [28, 28, 1]',
    'encoder 1: Conv2D relu -> [14, 14, 16], 160 params',
    'encoder 2: Conv2D relu -> [7, 7, 8], 1160 params',
    'code [7, 7, 8] (392 values)',
    'decoder 1: Conv2DTranspose relu -> [14, 14, 8], 584 params',
    'decoder 2: Conv2DTranspose relu -> [28, 28, 16], 1168 params',
    'decoder 3: Conv2D sigmoid -> [28, 28, 1], 145 params',
    'total 3217 params',
  ]);
});

test('a Keras-blog model with pooling, upsampling, a dense code and dropout checks its shapes', () => {
  const spec = parseModelSpec({
    inputShape: [28, 28, 1],
    encoder: [
      { type: 'Conv2D', filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' },
      { type: 'MaxPooling2D', poolSize: 2, padding: 'same' },
      { type: 'Conv2D', filters: 8, kernelSize: [3, 3], padding: 'same', activation: 'relu' },
      { type: 'MaxPooling2D' },
      { type: 'Flatten' },
      { type: 'Dropout', rate: 0.2 },
      { type: 'Dense', units: 32, activation: 'relu' },
    ],
    decoder: [
      { type: 'Dense', units: 392, activation: 'relu' },
      { type: 'Reshape', targetShape: [7, 7, 8] },
      { type: 'UpSampling2D', size: 2 },
      { type: 'Conv2DTranspose', filters: 8, kernelSize: 3, strides: 2, padding: 'same' },
      { type: 'Conv2D', filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' },
    ],
  });
  assert.deepEqual(
    spec.encoder.map((l) => l.output),
    [[28, 28, 16], [14, 14, 16], [14, 14, 8], [7, 7, 8], [392], [392], [32]],
  );
  assert.deepEqual(spec.codeShape, [32]);
  assert.deepEqual(spec.encoder[3].layer, {
    type: 'MaxPooling2D',
    poolSize: [2, 2],
    strides: [2, 2],
    padding: 'valid',
  });
  // 160 + 1160 + 392*32+32 + 32*392+392 + 8*8*9+8 + 8*9+1
  assert.equal(spec.params, 160 + 1160 + 12576 + 12936 + 584 + 73);
});

test('valid padding follows Keras: Conv2D floor((n - k) / s) + 1, Conv2DTranspose n s + max(k - s, 0)', () => {
  const spec = parseModelSpec({
    inputShape: [9, 8, 2],
    encoder: [{ type: 'Conv2D', filters: 3, kernelSize: [3, 2], strides: 2 }],
    decoder: [
      { type: 'Conv2DTranspose', filters: 2, kernelSize: [3, 2], strides: [2, 2] },
      { type: 'Reshape', targetShape: [9, 8, 2] },
    ],
  });
  assert.deepEqual(spec.codeShape, [4, 4, 3]);
  assert.deepEqual(spec.decoder[0].output, [9, 8, 2]);
});

test('spec errors name the list, the layer, the value and the fix', () => {
  const cfg = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);
  const shp = (re: RegExp) => (e: unknown) => e instanceof ShapeError && re.test(e.message);
  const base = (encoder: unknown[], decoder: unknown[] = [{ type: 'Dense', units: 4 }]) => ({
    inputShape: [4],
    encoder,
    decoder,
  });
  assert.throws(
    () =>
      parseModelSpec(
        base([
          { type: 'Dense', units: 2 },
          { type: 'Conv2D', filters: 4, kernelSize: 3 },
        ]),
      ),
    shp(
      /model spec: encoder layer 2 \(Conv2D\): needs an image input \[H, W, C\], got \[2\]; add a Reshape before it/,
    ),
  );
  assert.throws(
    () => parseModelSpec(base([{ type: 'Dense', units: 2, activation: 'gelu' }])),
    cfg(
      /model spec: encoder layer 1 \(Dense\): activation must be one of relu, sigmoid, tanh, linear, leaky-relu, got "gelu"/,
    ),
  );
  assert.throws(
    () => parseModelSpec(base([{ type: 'Dense', units: 2, kernel: 3 }])),
    cfg(/encoder layer 1 \(Dense\): unknown field "kernel"; Dense takes units, activation/),
  );
  assert.throws(
    () => parseModelSpec(base([{ type: 'Conv3D' }])),
    cfg(/encoder layer 1: type must be one of Dense, Conv2D, .*, got "Conv3D"/),
  );
  assert.throws(
    () => parseModelSpec(base([{ type: 'Dense', units: 2 }], [{ type: 'Dense', units: 3 }])),
    shp(
      /model spec: the decoder ends with \[3\] but the input is \[4\]; change the last decoder layer \(layer 1, Dense\)/,
    ),
  );
  assert.throws(
    () => parseModelSpec(base([{ type: 'Reshape', targetShape: [3, 1, 1] }])),
    shp(
      /encoder layer 1 \(Reshape\): cannot reshape \[4\] \(4 values\) to \[3, 1, 1\] \(3 values\)/,
    ),
  );
  assert.throws(
    () =>
      parseModelSpec({
        inputShape: [2, 2, 1],
        encoder: [{ type: 'Conv2D', filters: 1, kernelSize: 3 }],
        decoder: [{ type: 'Flatten' }],
      }),
    shp(
      /encoder layer 1 \(Conv2D\): input \[2, 2, 1\] is too small for the window \(output \[0, 0, 1\]\)/,
    ),
  );
  assert.throws(
    () =>
      parseModelSpec({
        inputShape: [28, 28, 1],
        encoder: [{ type: 'Conv2D', filters: 1 }],
        decoder: [],
      }),
    cfg(/encoder layer 1 \(Conv2D\): kernelSize is required/),
  );
  assert.throws(
    () => parseModelSpec(base([{ type: 'Dense', units: 2 }], [])),
    cfg(/model spec: decoder must be a non-empty list of layers, got \[\]/),
  );
  assert.throws(
    () => parseModelSpec({ inputShape: [4], encoder: [], decoder: [], layers: [] }),
    cfg(/unknown field "layers"/),
  );
  assert.throws(
    () => parseLayer({ type: 'Dropout', rate: 1 }, 'x'),
    cfg(/x \(Dropout\): rate must be a number in \[0, 1\), got 1/),
  );
  assert.throws(
    () => parseLayer({ type: 'Conv2D', filters: 2, kernelSize: 3, padding: 'full' }, 'x'),
    cfg(/padding must be 'same' or 'valid', got "full"/),
  );
  assert.throws(
    () => parseLayer({ type: 'MaxPooling2D', poolSize: [2, 0] }, 'x'),
    cfg(/poolSize must be an integer >= 1, got 0/),
  );
  assert.throws(
    () => parseInputShape('28x28'),
    cfg(/--input-shape: expected HxWxC such as 28x28x1 \(or a size such as 784\), got '28x28'/),
  );
  assert.throws(
    () => convShorthand('16,a', [28, 28, 1]),
    cfg(/--conv: expected filter counts such as 16,8, got '16,a'/),
  );
  assert.throws(() => convShorthand('16', [784]), cfg(/--conv: needs an image input shape HxWxC/));
});
