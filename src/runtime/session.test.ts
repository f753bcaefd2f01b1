import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, RuntimeFailure, ShapeError } from '../errors.js';
import { Graph } from '../graph/graph.js';
import { makeModel } from '../onnx/emit.js';
import { RtTensor, Session, withSession } from './session.js';

function addModel(): Uint8Array {
  const g = new Graph('t');
  const a = g.input('data_0', ['batch', 3]);
  g.setOutputs({ y: g.add(a, g.constant([1, 2, 3], [3])) });
  return makeModel(g);
}

test('runs a model, writes into preallocated outputs, and names what is wrong with feeds', async () => {
  await withSession(addModel(), { threads: 1 }, async (s) => {
    const out = new RtTensor(new Float32Array(6), [2, 3]);
    const res = await s.run(
      { data_0: new RtTensor(Float32Array.of(0, 0, 0, 1, 1, 1), [2, 3]) },
      { y: out },
    );
    assert.equal(res.y, out);
    assert.deepEqual(Array.from(out.data as Float32Array), [1, 2, 3, 2, 3, 4]);
    await assert.rejects(
      s.run({}),
      (e: unknown) => e instanceof ShapeError && /input 'data_0' is missing/.test(e.message),
    );
    await assert.rejects(
      s.run({ data_0: new RtTensor(new Float32Array(4), [2, 2]) }),
      /input 'data_0' has dims \[2, 2\], the model expects \[batch, 3\]/,
    );
    await assert.rejects(
      s.run({
        data_0: new RtTensor(new Float32Array(3), [1, 3]),
        extra: new RtTensor(new Float32Array(1), [1]),
      }),
      /'extra' is not an input of this model \(inputs: data_0\)/,
    );
  });
});

test('a disposed session refuses to run; dispose twice is safe', async () => {
  const s = await Session.create(addModel(), { threads: 1 });
  await s.dispose();
  await s.dispose();
  await assert.rejects(
    s.run({}),
    (e: unknown) => e instanceof ConfigError && /session was disposed/.test(e.message),
  );
});

test('bad model bytes and bad thread counts are typed errors', async () => {
  await assert.rejects(
    Session.create(Uint8Array.of(1, 2, 3)),
    (e: unknown) =>
      e instanceof RuntimeFailure && /onnxruntime could not load the model/.test(e.message),
  );
  await assert.rejects(
    Session.create(addModel(), { threads: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /threads must be a positive integer, got 0/.test(e.message),
  );
  assert.throws(
    () => new RtTensor(new Float32Array(5), [2, 3]),
    (e: unknown) =>
      e instanceof ShapeError && /tensor data has 5 values, dims \[2, 3\] need 6/.test(e.message),
  );
});

test('a tensor over shared memory is copied to ordinary memory (onnxruntime-node refuses it)', () => {
  const shared = new Float32Array(new SharedArrayBuffer(16));
  shared.set([1, 2, 3, 4]);
  const t = new RtTensor(shared, [2, 2]);
  assert.ok(!(t.data.buffer instanceof SharedArrayBuffer));
  assert.deepEqual([...t.data], [1, 2, 3, 4]);
  const plain = Float32Array.of(1, 2);
  assert.equal(new RtTensor(plain, [2]).data, plain, 'ordinary memory is passed as it is');
});
