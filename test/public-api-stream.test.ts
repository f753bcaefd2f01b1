// The public entry exports the streaming API (sources, epoch order, statistics, writers,
// fitStream), and a round trip through it works: rows written by NpyStreamWriter are read back
// by openSource exactly (float32 copies, no tolerance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aedr from '../src/index.js';

test('the public entry exports the streaming API', async () => {
  for (const name of [
    'openSource',
    'NpySource',
    'NpyShardSource',
    'CsvSource',
    'ParquetSource',
    'ArrowSource',
    'RowRangesSource',
    'fitScalingStream',
    'summarizeColumns',
    'epochBatches',
    'NpyStreamWriter',
    'CsvStreamWriter',
    'ParquetStreamWriter',
    'spillToNpy',
    'fitStream',
  ]) {
    assert.ok(name in aedr, `${name} is exported`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'aedr-api-stream-'));
  try {
    const w = await aedr.NpyStreamWriter.open(join(dir, 'x.npy'), 3);
    await w.append(Float32Array.of(1, 2, 3, 4, 5, 6));
    await w.finish();
    const s = await aedr.openSource(join(dir, 'x.npy'));
    assert.ok(aedr.isRandomAccess(s));
    assert.deepEqual(Array.from(await s.readBlock(1, 1)), [4, 5, 6]);
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
