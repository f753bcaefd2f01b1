// Graphs from layer lists: parameter names/shapes/fans, Keras-default initial values, dropout
// fed or left out, output shapes with a symbolic batch, and parameter-count misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph/graph.js';
import { evaluate } from '../graph/evaluate.js';
import { GraphError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { parseModelSpec } from './layer-spec.js';
import { applyLayers, initLayerParams, layerParamInfos, rowsToImages } from './layer-graph.js';

const spec = parseModelSpec({
  inputShape: [8, 8, 1],
  encoder: [
    { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' },
    { type: 'MaxPooling2D' },
    { type: 'Flatten' },
    { type: 'Dropout', rate: 0.5 },
    { type: 'Dense', units: 3 },
  ],
  decoder: [
    { type: 'Dense', units: 64, activation: 'relu' },
    { type: 'Reshape', targetShape: [4, 4, 4] },
    { type: 'UpSampling2D' },
    { type: 'Conv2DTranspose', filters: 1, kernelSize: 1, activation: 'sigmoid' },
  ],
});

test('parameter names follow torch.nn.Sequential positions, shapes ONNX layouts', () => {
  const enc = layerParamInfos('encoder', spec.encoder);
  const dec = layerParamInfos('decoder', spec.decoder);
  assert.deepEqual(
    [...enc, ...dec].map((p) => [p.name, p.shape.join('x'), p.fanIn, p.fanOut]),
    [
      ['encoder.0.weight', '4x1x3x3', 9, 36],
      ['encoder.0.bias', '4', 9, 36],
      ['encoder.4.weight', '64x3', 64, 3],
      ['encoder.4.bias', '3', 64, 3],
      ['decoder.0.weight', '3x64', 3, 64],
      ['decoder.0.bias', '64', 3, 64],
      ['decoder.3.weight', '4x1x1x1', 4, 1],
      ['decoder.3.bias', '1', 4, 1],
    ],
  );
  const total = [...enc, ...dec].reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
  assert.equal(total, spec.params);
});

test('initial kernels lie within the Glorot limit and biases are zero', () => {
  const infos = layerParamInfos('encoder', spec.encoder);
  const values = initLayerParams(infos, new Rng(3));
  const limit = Math.sqrt(6 / (9 + 36));
  assert.ok(
    values[0].every((v) => Math.abs(v) <= limit) && values[0].some((v) => Math.abs(v) > limit / 2),
  );
  assert.ok(values[1].every((v) => v === 0));
  assert.deepEqual(initLayerParams(infos, new Rng(3)), values);
});

test('applyLayers: symbolic batch shapes, dropout fed or left out, parameter-count errors', () => {
  const build = (withMask: boolean) => {
    const g = new Graph();
    const x = g.input('x', ['batch', 64]);
    const infos = layerParamInfos('encoder', spec.encoder);
    const params = infos.map((p) => g.input(p.name, p.shape));
    const mask = withMask ? g.input('mask', [1, 64]) : undefined;
    const { y } = applyLayers(g, rowsToImages(g, x, spec.inputShape), spec.encoder, params, {
      dropoutMask: (pos, shape) => {
        assert.equal(pos, 3);
        assert.deepEqual(shape, ['batch', 64]);
        return mask;
      },
    });
    return { g, y, infos };
  };
  const a = build(true);
  assert.deepEqual(a.y.shape, ['batch', 3]);
  assert.equal(a.g.nodes.filter((n) => n.op === 'Mul').length, 1);
  assert.equal(build(false).g.nodes.filter((n) => n.op === 'Mul').length, 0);
  // A zero mask zeroes the dense layer's input: the code is its bias.
  const r = new Rng(1);
  const feeds = Object.fromEntries(
    a.infos.map((p) => {
      const n = p.shape.reduce((x, y) => x * y, 1);
      return [
        p.name,
        { shape: p.shape, data: Float64Array.from({ length: n }, () => r.uniform(-1, 1)) },
      ];
    }),
  );
  feeds.x = { shape: [2, 64], data: new Float64Array(128).fill(0.5) };
  feeds.mask = { shape: [1, 64], data: new Float64Array(64) };
  const [code] = evaluate(a.g, feeds, [a.y]);
  assert.deepEqual(Array.from(code.data), [
    ...feeds['encoder.4.bias'].data,
    ...feeds['encoder.4.bias'].data,
  ]);

  const g = new Graph();
  const x = g.input('x', [2, 1, 8, 8]);
  assert.throws(
    () => applyLayers(g, x, spec.encoder, [g.input('w', [4, 1, 3, 3])]),
    (e: unknown) =>
      e instanceof GraphError &&
      /applyLayers: 1 parameters given, the layers need more/.test(e.message),
  );
});
