import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { assertClose } from '../../test/helpers/close.js';
import { TABLEAU10 } from './palette.js';
import { packScatter3d, SCATTER3D_SCRIPT, scatter3dFigure } from './scatter3d.js';

test('packScatter3d: centres on the bounding box and scales the widest axis to [-1, 1]', () => {
  // x spans 0..4 (widest, half-range 2, centre 2); y spans 10..12 (centre 11); z is constant 5.
  const pts = Float32Array.of(0, 10, 5, 4, 12, 5, 2, 11, 5);
  const d = packScatter3d(pts, Int32Array.of(7, 3, 7));
  assertClose(d.xyz, [-1, -0.5, 0, 1, 0.5, 0, 0, 0, 0], {
    atol: 1e-12,
    what: 'xyz (hand computed)',
  });
  // Distinct labels sorted: 3 -> class 0, 7 -> class 1.
  assert.deepEqual(d.cls, [1, 0, 1]);
  assert.deepEqual(d.names, ['3', '7']);
  assert.deepEqual(d.colors, TABLEAU10.slice(0, 2));
});

test('packScatter3d: label names, axis names and an even-stride subsample', () => {
  const n = 10;
  const pts = Float64Array.from({ length: 3 * n }, (_, i) => i);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const d = packScatter3d(pts, labels, {
    labelNames: ['even', 'odd'],
    axisNames: ['a', 'b', 'c'],
    maxPoints: 4,
  });
  // stride ceil(10 / 4) = 3: points 0, 3, 6, 9.
  assert.equal(d.cls.length, 4);
  assert.deepEqual(d.cls, [0, 1, 0, 1]);
  assert.deepEqual(d.names, ['even', 'odd']);
  assert.deepEqual(d.axes, ['a', 'b', 'c']);
});

test('scatter3dFigure: data is inert JSON that cannot close the script element', () => {
  const d = packScatter3d(Float32Array.of(0, 0, 0), Int32Array.of(0), {
    labelNames: ['</script><b>x'],
  });
  const html = scatter3dFigure('s1', d, 'A <caption>', 300);
  assert.ok(!html.includes('</script><b>'), 'label text escaped');
  assert.ok(html.includes('\\u003c/script>'), 'JSON escapes "<"');
  assert.ok(html.includes('&#60;/script&#62;&#60;b&#62;x'), 'legend escapes HTML');
  assert.ok(html.includes('A &#60;caption&#62;'));
  assert.ok(html.includes('style="height:300px"'));
});

/** Runs the widget script against a minimal fake DOM and counts what it draws. */
function runWidget(json: string) {
  const handlers: Record<string, (ev: Record<string, unknown>) => void> = {};
  const calls = { arc: [] as number[][], fillText: [] as string[] };
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get: (t, k) =>
      k in t
        ? t[k]
        : k === 'arc'
          ? (x: number, y: number) => calls.arc.push([x, y])
          : k === 'fillText'
            ? (s: string) => calls.fillText.push(s)
            : () => undefined,
    set: (t, k, v) => ((t[k] = v), true),
  });
  const canvas = {
    clientWidth: 600,
    clientHeight: 400,
    width: 0,
    height: 0,
    getContext: () => ctx,
    setPointerCapture: () => undefined,
    addEventListener: (type: string, fn: (ev: Record<string, unknown>) => void) =>
      (handlers[type] = fn),
  };
  const buttons = [0, 1].map((i) => {
    const attrs: Record<string, string> = { 'data-cls': String(i) };
    let onClick = () => undefined as void;
    return {
      attrs,
      getAttribute: (k: string) => attrs[k],
      setAttribute: (k: string, v: string) => (attrs[k] = v),
      addEventListener: (_t: string, fn: () => void) => (onClick = fn),
      click: () => onClick(),
    };
  });
  const fig = {
    querySelector: (sel: string) => (sel === 'canvas' ? canvas : { textContent: json }),
    querySelectorAll: () => buttons,
  };
  const win = {
    devicePixelRatio: 1,
    requestAnimationFrame: (fn: () => void) => fn(),
    addEventListener: () => undefined,
  };
  const doc = { querySelectorAll: () => [fig] };
  new Function('window', 'document', SCATTER3D_SCRIPT)(win, doc);
  return { calls, handlers, buttons, canvas };
}

test('SCATTER3D_SCRIPT: draws every point, rotates on drag, hides a label from the legend', () => {
  const pts = Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1);
  const labels = Int32Array.of(0, 0, 1, 1, 1);
  const { calls, handlers, buttons, canvas } = runWidget(
    JSON.stringify(packScatter3d(pts, labels, { axisNames: ['u', 'v', 'w'] })),
  );
  assert.equal(calls.arc.length, 5, 'one circle per point');
  assert.deepEqual(calls.fillText, ['u', 'v', 'w']);
  assert.equal(canvas.width, 600);
  const before = calls.arc.map((p) => p.join()).sort();
  calls.arc.length = 0;
  handlers.pointerdown({ clientX: 10, clientY: 10, pointerId: 1 });
  handlers.pointermove({ clientX: 60, clientY: 30 });
  handlers.pointerup({});
  assert.equal(calls.arc.length, 5);
  assert.notDeepEqual(calls.arc.map((p) => p.join()).sort(), before, 'points moved after a drag');
  calls.arc.length = 0;
  buttons[1].click();
  assert.equal(calls.arc.length, 2, 'label 1 (three points) hidden');
  assert.equal(buttons[1].attrs['aria-pressed'], 'false');
});

test('packScatter3d: misuse', () => {
  assert.throws(
    () => packScatter3d(new Float32Array(7), new Int32Array(2)),
    (e: unknown) =>
      e instanceof ShapeError &&
      /points must hold 3 values per label \(2 labels -> 6\), got 7/.test(e.message),
  );
  assert.throws(
    () => packScatter3d(new Float32Array(0), new Int32Array(0)),
    (e: unknown) => e instanceof ShapeError && /points is empty/.test(e.message),
  );
  assert.throws(
    () => packScatter3d(Float32Array.of(0, Infinity, 0), Int32Array.of(0)),
    (e: unknown) =>
      e instanceof DataError &&
      /point 0, coordinate 1 is Infinity; expected a finite number/.test(e.message),
  );
  assert.throws(
    () => packScatter3d(Float32Array.of(0, 0, 0), Int32Array.of(0), { maxPoints: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /maxPoints must be an integer >= 1, got 0/.test(e.message),
  );
});
