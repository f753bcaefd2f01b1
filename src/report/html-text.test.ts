import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalTarget, renderInline, renderProse } from './html-text.js';

test('renderProse: paragraphs by blank line, lists by marker, lines joined', () => {
  assert.equal(
    renderProse('First line\nsame paragraph.\n\n- one\n- two\n\n1. a\n2. b'),
    '<p>First line same paragraph.</p>\n<ul><li>one</li><li>two</li></ul>\n<ol><li>a</li><li>b</li></ol>',
  );
});

test('renderInline: code, bold, italic; code spans are not formatted inside', () => {
  assert.equal(
    renderInline('**MSE** of *relu* is `a*b*c` and _x_'),
    '<strong>MSE</strong> of <em>relu</em> is <code>a*b*c</code> and <em>x</em>',
  );
  assert.equal(renderInline('snake_case_name and 2*3*4'), 'snake_case_name and 2*3*4');
});

test('renderInline: escapes markup; links only to local targets', () => {
  assert.equal(
    renderInline('<script>alert("x")</script>'),
    '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;',
  );
  assert.equal(renderInline('[results](#results)'), '<a href="#results">results</a>');
  assert.equal(renderInline('[csv](data/mse.csv)'), '<a href="data/mse.csv">csv</a>');
  assert.equal(
    renderInline('[paper](https://doi.org/10.1126/science.1127647)'),
    'paper (https://doi.org/10.1126/science.1127647)',
  );
  assert.equal(renderInline('[x](javascript:alert(1))'), 'x (javascript:alert(1))');
});

test('isLocalTarget', () => {
  assert.deepEqual(
    ['#a', 'a/b.png', '../x', 'http://x', 'HTTPS://x', '//cdn', 'data:x', 'mailto:a'].map(
      isLocalTarget,
    ),
    [true, true, true, false, false, false, false, false],
  );
});
