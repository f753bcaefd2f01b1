import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, editDistance, nearestName } from './suggest.js';

test('editDistance counts inserts, deletes, substitutions and adjacent swaps as one edit each', () => {
  // Values worked by hand (optimal string alignment distance).
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('abc', ''), 3);
  assert.equal(editDistance('', 'ab'), 2);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('mnsit', 'mnist'), 1); // one swap
  assert.equal(editDistance('specis', 'species'), 1); // one insert
  assert.equal(editDistance('ca', 'abc'), 3); // OSA, not unrestricted Damerau (which gives 2)
  assert.equal(editDistance('label', 'label'), 0);
});

test('nearestName suggests close names, ignores case, and stays silent when nothing is close', () => {
  assert.equal(nearestName('mnsit', ['mnist', 'mnist:train', 'mnist:test']), 'mnist');
  assert.equal(nearestName('mnist:tset', ['mnist', 'mnist:train', 'mnist:test']), 'mnist:test');
  assert.equal(nearestName('specis', ['sepal_length', 'sepal_width', 'species']), 'species');
  assert.equal(nearestName('LABEL', ['id', 'label']), 'label');
  assert.equal(nearestName('zzz', ['species', 'id']), undefined);
  assert.equal(nearestName('ab', ['abc']), 'abc'); // one edit is always allowed...
  assert.equal(nearestName('z', ['a', 'b']), undefined); // ...but not replacing every character
  assert.equal(nearestName('emb.npy', ['mnist']), undefined);
  assert.equal(nearestName('a', []), undefined);
  // Ties go to the first listed name.
  assert.equal(nearestName('ab', ['ac', 'ad']), 'ac');
});

test('didYouMean phrases the suggestion for an error message', () => {
  assert.equal(didYouMean('mnsit', ['mnist']), '; did you mean mnist?');
  assert.equal(didYouMean('qqqq', ['mnist']), '');
});
