import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { EpochRecord } from '../train/model.js';
import type { CliIo } from './context.js';
import { createReporter, epochLine } from './progress.js';

const record: EpochRecord = {
  epoch: 3,
  trainLoss: 0.0123456,
  trainMse: 0.01211,
  testMse: 0.0119,
  seconds: 1.0234,
  evalSeconds: 0.2,
};

test('epochLine has the documented format', () => {
  assert.equal(
    epochLine(record, 3, 10),
    'epoch 3/10  loss 0.01235  train_mse 0.01211  test_mse 0.0119  1.02s',
  );
  const { testMse: _t, ...noTest } = record;
  assert.equal(epochLine(noTest, 1, 1), 'epoch 1/1  loss 0.01235  train_mse 0.01211  1.02s');
  assert.equal(
    epochLine({ ...noTest, valLoss: 0.0131, valMse: 0.0131 }, 2, 5),
    'epoch 2/5  loss 0.01235  train_mse 0.01211  val_loss 0.0131  val_mse 0.0131  1.02s',
  );
});

function capture(isTTY: boolean): { io: CliIo; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  Object.assign(stream, { isTTY, columns: 100 });
  const io: CliIo = {
    out: () => {},
    err: (t) => void (text += t),
    errIsTty: isTTY,
    errStream: stream,
  };
  return { io, text: () => text };
}

test('lines mode prints one line per epoch and nothing for progress', () => {
  const c = capture(false);
  const r = createReporter('lines', c.io);
  r.progress({ epoch: 1, epochs: 2, batch: 5, batches: 10, loss: 0.5 });
  r.epochEnd(record, 1, 2);
  assert.equal(c.text(), epochLine(record, 1, 2) + '\n');
});

test('bar mode draws a bar with the running loss, then the epoch line', () => {
  const c = capture(true);
  const r = createReporter('bar', c.io);
  r.progress({ epoch: 1, epochs: 2, batch: 5, batches: 10, loss: 0.5 });
  r.epochEnd(record, 1, 2);
  r.stop();
  assert.match(c.text(), /epoch 1\/2 \[.*\] 50% \| loss 0\.5 \| ETA/);
  assert.ok(c.text().endsWith(epochLine(record, 1, 2) + '\n'));
});

test('quiet mode prints nothing', () => {
  const c = capture(false);
  const r = createReporter('quiet', c.io);
  r.progress({ epoch: 1, epochs: 1, batch: 1, batches: 1, loss: 1 });
  r.epochEnd(record, 1, 1);
  assert.equal(c.text(), '');
});
