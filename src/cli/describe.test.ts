import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paramInfos, stackSpec } from '../nn/autoencoder-spec.js';
import {
  groupDigits,
  layersText,
  parameterCount,
  secondsText,
  sizesText,
  textTable,
} from './describe.js';

test('sizes, layers and parameter count of the study deep AE', () => {
  const spec = stackSpec(784, [128, 64, 12, 3]);
  assert.equal(sizesText(spec), '784-128-64-12-3-12-64-128-784');
  assert.equal(layersText(784, spec.encoder), '784 -> 128 relu -> 64 relu -> 12 relu -> 3 linear');
  // Hand count: encoder 784*128+128 + 128*64+64 + 64*12+12 + 12*3+3 = 109,555;
  // decoder 3*12+12 + 12*64+64 + 64*128+128 + 128*784+784 = 110,336.
  assert.equal(parameterCount(spec), 109555 + 110336);
  // Independent count: the sizes of the parameter arrays the model is built with.
  const sizes = paramInfos(spec).map((p) => p.shape.reduce((a, b) => a * b, 1));
  assert.equal(
    parameterCount(spec),
    sizes.reduce((a, b) => a + b, 0),
  );
  // Shallow 784-50-784: 784*50+50 + 50*784+784 = 79,234.
  assert.equal(parameterCount(stackSpec(784, [50])), 79234);
});

test('number and time text', () => {
  assert.equal(groupDigits(1234567), '1,234,567');
  assert.equal(groupDigits(999), '999');
  assert.equal(secondsText(0.845), '0.84s');
  assert.equal(secondsText(12.34), '12.3s');
  assert.equal(secondsText(119.7), '2m 00s');
  assert.equal(secondsText(185), '3m 05s');
});

test('textTable right-aligns numeric columns', () => {
  assert.equal(
    textTable(
      ['epoch', 'name'],
      [
        ['1', 'a'],
        ['10', 'bcd'],
      ],
    ),
    '  epoch  name\n      1  a\n     10  bcd',
  );
});

test('textTable ignores empty cells when deciding alignment', () => {
  assert.equal(
    textTable(
      ['a', 'mse'],
      [
        ['x', '0.5'],
        ['yy', ''],
      ],
    ),
    '  a   mse\n  x   0.5\n  yy',
  );
});
