// concat1d and split1d: the reference evaluator's values, the round trip, and the shape errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from './graph.js';
import { evaluate } from './evaluate.js';
import { ShapeError } from '../errors.js';

test('split1d then concat1d is the identity; the pieces are consecutive', () => {
  const g = new Graph();
  const x = g.input('x', [6]);
  const [a, b, c] = g.split1d(x, [1, 3, 2]);
  const back = g.concat1d([a, b, c]);
  const swapped = g.concat1d([c, a]);
  const data = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const [va, vb, vc, vback, vswap] = evaluate(g, { x: { shape: [6], data } }, [
    a,
    b,
    c,
    back,
    swapped,
  ]);
  assert.deepEqual(Array.from(va.data), [1]);
  assert.deepEqual(Array.from(vb.data), [2, 3, 4]);
  assert.deepEqual(Array.from(vc.data), [5, 6]);
  assert.deepEqual(Array.from(vback.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(vswap.shape, [3]);
  assert.deepEqual(Array.from(vswap.data), [5, 6, 1]);
});

test('sizes that do not add up, non-1-D or symbolic inputs are ShapeErrors', () => {
  const g = new Graph();
  const x = g.input('x', [6]);
  assert.throws(() => g.split1d(x, [2, 2]), ShapeError);
  assert.throws(() => g.split1d(x, [6, 0]), ShapeError);
  assert.throws(() => g.concat1d([]), ShapeError);
  assert.throws(() => g.concat1d([g.input('m', [2, 3])]), ShapeError);
  assert.throws(() => g.concat1d([g.input('s', ['n'])]), ShapeError);
});
