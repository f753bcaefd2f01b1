import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelOnSigint } from './cancel.js';
import { statusLine } from './progress.js';

test('the first Ctrl-C runs beforeMessage, prints the message and aborts; release removes the handler', () => {
  const err: string[] = [];
  const io = { out: () => undefined, err: (t: string) => void err.push(t), errIsTty: false };
  const before = process.listenerCount('SIGINT');
  const c = cancelOnSigint(io, 'stopping after the running batches', () => err.push('<bar down>'));
  assert.equal(process.listenerCount('SIGINT'), before + 1);
  assert.equal(c.signal.aborted, false);
  process.emit('SIGINT');
  assert.equal(c.signal.aborted, true);
  assert.deepEqual(err, [
    '<bar down>',
    'aedr: stopping after the running batches (Ctrl-C again to quit at once)\n',
  ]);
  c.release();
  assert.equal(process.listenerCount('SIGINT'), before);
});

test('statusLine redraws in place on a terminal and prints only permanent lines elsewhere', () => {
  const tty: string[] = [];
  const s = statusLine({ out: () => undefined, err: (t) => void tty.push(t), errIsTty: true });
  s.draw('run 1 40%');
  s.draw('run 1 80%');
  s.line('done run 1');
  s.clear();
  assert.deepEqual(tty, ['\r\x1b[Krun 1 40%', '\r\x1b[Krun 1 80%', '\r\x1b[K', 'done run 1\n']);
  const pipe: string[] = [];
  const p = statusLine({ out: () => undefined, err: (t) => void pipe.push(t), errIsTty: false });
  p.draw('run 1 40%');
  p.line('done run 1');
  assert.deepEqual(pipe, ['done run 1\n']);
});
