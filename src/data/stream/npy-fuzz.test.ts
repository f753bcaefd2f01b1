// Property tests (fast-check) of the streaming .npy reader on random headers, bytes and
// truncations: it reads what was written, and anything else is a DataError naming the file,
// never another exception or a hang. Seeded, so a failure replays.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DataError } from '../../errors.js';
import { npyBytes } from '../../../test/helpers/npy-bytes.js';
import { NpySource } from './npy-source.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-npy-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'f.npy');

const RANGES: Record<string, [number, number]> = {
  f4: [-1e6, 1e6],
  f8: [-1e6, 1e6],
  u1: [0, 255],
  i1: [-128, 127],
  b1: [0, 1],
  i2: [-32768, 32767],
  u2: [0, 65535],
  i4: [-(2 ** 31), 2 ** 31 - 1],
  u4: [0, 2 ** 32 - 1],
  i8: [-(2 ** 40), 2 ** 40],
  u8: [0, 2 ** 40],
};

const arrays = fc
  .record({
    kind: fc.constantFrom(...Object.keys(RANGES)),
    big: fc.boolean(),
    major: fc.integer({ min: 1, max: 3 }),
    rows: fc.integer({ min: 0, max: 6 }),
    dims: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
    seed: fc.integer(),
  })
  .map(({ kind, big, major, rows, dims, seed }) => {
    const descr = (kind.endsWith('1') ? '|' : big ? '>' : '<') + kind;
    const shape = [rows, ...dims];
    const n = shape.reduce((a, b) => a * b, 1);
    const [lo, hi] = RANGES[kind];
    let s = seed >>> 0;
    const values = Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return lo + Math.floor((s / 2 ** 32) * (hi - lo + 1));
    });
    return { descr, shape, values, major, bytes: npyBytes(descr, shape, values, { major }) };
  });

/** Opens and reads `path` whole; returns the values, or the DataError. */
async function readOrError(): Promise<number[] | DataError> {
  try {
    const s = await NpySource.open(path);
    try {
      return Array.from(await s.readBlock(0, s.rows));
    } finally {
      await s.close();
    }
  } catch (err) {
    if (err instanceof DataError) {
      assert.match(err.message, /f\.npy: /, 'the error names the file');
      return err;
    }
    throw err;
  }
}

test('random valid arrays read back as written (float32 of each value)', async () => {
  await fc.assert(
    fc.asyncProperty(arrays, async (a) => {
      writeFileSync(path, a.bytes);
      const got = await readOrError();
      assert.deepEqual(got, a.values.map(Math.fround), `${a.descr} (${a.shape.join(', ')})`);
    }),
    { seed: 13, numRuns: 150 },
  );
});

test('any truncation is a DataError; inside the data it names the first incomplete row', async () => {
  await fc.assert(
    fc.asyncProperty(arrays, fc.double({ min: 0, max: 1, noNaN: true }), async (a, f) => {
      const cut = Math.floor(f * a.bytes.length);
      fc.pre(cut < a.bytes.length);
      writeFileSync(path, a.bytes.subarray(0, cut));
      const got = await readOrError();
      assert.ok(
        got instanceof DataError,
        `cut at ${cut} of ${a.bytes.length}: read ${String(got)}`,
      );
      const dataOffset = a.bytes.length - a.values.length * Number(a.descr.slice(2));
      if (cut >= dataOffset) {
        const rowBytes = (a.bytes.length - dataOffset) / a.shape[0];
        assert.equal(got.row, Math.floor((cut - dataOffset) / rowBytes) + 1);
        assert.match(got.message, new RegExp(`the data stops at byte ${cut} `));
      }
    }),
    { seed: 14, numRuns: 150 },
  );
});

test('random header text and corrupted bytes give a DataError or a correct read', async () => {
  const header = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc
      .record({
        descr: fc.oneof(
          fc.constantFrom('<f4', '>f8', '|u1', '<c8', 'O', '<f2', '<U3'),
          fc.string({ maxLength: 4 }),
        ),
        fortran: fc.constantFrom('False', 'True', 'false', '0'),
        shape: fc.oneof(
          fc
            .array(fc.integer({ min: -2, max: 2 ** 40 }), { maxLength: 3 })
            .map((s) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`),
          fc.string({ maxLength: 10 }),
        ),
      })
      .map((h) => `{'descr': '${h.descr}', 'fortran_order': ${h.fortran}, 'shape': ${h.shape}, }`),
  );
  await fc.assert(
    fc.asyncProperty(header, fc.uint8Array({ maxLength: 64 }), async (h, body) => {
      const head = npyBytes('<f4', [0], [], { header: h, major: 3 });
      writeFileSync(path, new Uint8Array([...head, ...body]));
      const got = await readOrError();
      if (!(got instanceof DataError)) assert.ok(Array.isArray(got));
    }),
    { seed: 15, numRuns: 200 },
  );
  await fc.assert(
    fc.asyncProperty(
      arrays,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      async (a, flips) => {
        const bytes = a.bytes.slice();
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        writeFileSync(path, bytes);
        const got = await readOrError();
        if (!(got instanceof DataError)) assert.ok(Array.isArray(got));
      },
    ),
    { seed: 16, numRuns: 200 },
  );
});
