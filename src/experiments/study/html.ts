/**
 * The study's HTML page, section by section in the order of the blog post: the models, the sweep,
 * saturation, reconstructions, decoder activation, the deep AE, the convolutional denoising AE,
 * decoder-only generation, training curves, and the run's time and machine. Figures lead, text explains them.
 */
import { HtmlReport } from '../../report/html.js';
import { formatNumber } from '../../report/format.js';
import { COMPARISON_COLUMNS, CONV_COLUMNS, RUN_COLUMNS, comparisonRows, findings } from './text.js';
import type { Figure } from './figures.js';
import type { StudyImages } from './images.js';
import type { StudyOutcome } from './outcome.js';

function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

function parameters(layers: number[]): number {
  let n = 0;
  for (let i = 1; i < layers.length; i++) n += layers[i - 1] * layers[i] + layers[i];
  return n;
}

/** The full page. */
export function buildHtml(
  o: StudyOutcome,
  fig: Record<'mse' | 'curves' | 'deepCurve' | 'projections' | 'times', Figure>,
  img: StudyImages,
): string {
  const c = o.config;
  const dims = c.latentDims;
  const deepSizes = [784, ...c.deep.layers];
  const mirrored = [...deepSizes, ...deepSizes.slice(0, -1).reverse()];
  const rep = new HtmlReport(
    'Autoencoders for dimensionality reduction: the MNIST latent-size study',
    {
      subtitle: `${c.quick ? 'Quick version: ' : ''}${dims.length * c.activations.length} shallow autoencoders, a deep autoencoder and PCA on ${c.trainSize.toLocaleString('en-US')} training and ${c.testSize.toLocaleString('en-US')} test images · ${o.reused === 0 ? `${seconds(o.totalSeconds)} on ${o.machine.cores} cores` : `report rebuilt in ${seconds(o.totalSeconds)}, ${o.reused} of the runs reused from an earlier invocation (their own times are in the tables)`}`,
    },
  );
  rep.paragraph(
    findings(o)
      .map((f) => `- ${f}`)
      .join('\n'),
  );

  rep.section(
    'models',
    'The models',
    `Pixels are divided by 255. Every model minimises the mean squared reconstruction error (MSE) with Adam; weights are Glorot-uniform, biases zero${c.outputBias === 'mean' ? " except the output layer's, which starts at the mean training image (through the inverse of the output activation)" : ' (Keras)'}, batches shuffled, all from one seed.`,
  );
  rep.table(
    [
      { key: 'model', title: 'Model' },
      { key: 'layers', title: 'Layers' },
      { key: 'acts', title: 'Activations' },
      { key: 'train', title: 'Training' },
      { key: 'params', title: 'Parameters' },
    ],
    [
      {
        model: "Shallow AE (the sweep, the blog post's Keras model)",
        layers: `784 → k → 784, k = ${dims.join(', ')}`,
        acts: `code relu; output ${c.activations.join(' or ')}`,
        train: `Adam ${c.learningRate}, ${c.epochs} epochs, batch ${c.batchSize}`,
        params: `${parameters([784, dims[0], 784]).toLocaleString('en-US')}-${parameters([784, dims[dims.length - 1], 784]).toLocaleString('en-US')}`,
      },
      {
        model: "Deep AE (the blog post's PyTorch model)",
        layers: mirrored.join(' → '),
        acts: 'relu between layers, linear code, sigmoid output',
        train: `Adam ${c.deep.learningRate}, ${c.deep.epochs} epochs, batch ${c.deep.batchSize}`,
        params: parameters(mirrored).toLocaleString('en-US'),
      },
      ...o.conv.map((m) => ({
        model: "Convolutional denoising AE (the TensorFlow tutorial's model)",
        layers: m.layerShapes.map((shape) => shape.join('x')).join(' → '),
        acts: 'relu between layers, sigmoid output',
        train: `Adam ${c.conv.learningRate}, ${c.conv.epochs} epochs, batch ${c.conv.batchSize}, input + ${c.conv.noise} noise`,
        params: m.params.toLocaleString('en-US'),
      })),
      {
        model: 'PCA (linear baseline)',
        layers: `784 → k → 784 (first k principal components)`,
        acts: 'linear',
        train: 'exact eigendecomposition of the training covariance',
        params: '',
      },
    ],
  );

  rep.section(
    'sweep',
    'Reconstruction error against latent size',
    'Lower is better. Each point is one trained model evaluated on the whole test set after its last epoch.',
  );
  rep.chart(fig.mse.chart, fig.mse.caption);
  rep.table(COMPARISON_COLUMNS, comparisonRows(o), {
    caption: `Against the blog post's Keras table (ReLU decoder) and PCA with as many components. MSE per pixel of images scaled to [0, 1].`,
  });
  rep.table(RUN_COLUMNS, o.rows, {
    caption: `One row per trained model. "Train loss (Keras)" is the mean batch loss of the last epoch as Keras prints it; train/test MSE are evaluated after it; SSE / image = 784 × MSE. Dead output pixels: 0 on every test image; "on ink": those where the test digits average above 1% intensity.`,
  });

  const s = o.saturation;
  rep.section(
    'saturation',
    'Where the curve saturates',
    `**Rule:** the smallest latent size from which every further step lowers the test MSE at less than ${c.saturationFraction} × the sweep's average rate, read on the curve scaled to the unit square (so units do not matter) and on its running minimum (the best error reached with at most that many units: a larger model can always copy a smaller one, so a point above an earlier one is a training accident, such as dead ReLU units, not a gain still to come). The recommendation is the largest answer over the decoders: the smallest size from which every decoder has flattened. For comparison: the same rule on the raw curve, and the Kneedle knee (Satopaa et al. 2011), which marks where the curve bends most and so comes earlier.`,
  );
  rep.table(
    [
      { key: 'curve', title: 'Test MSE curve' },
      { key: 'flat', title: `Flattening point (running minimum)`, align: 'right' },
      { key: 'raw', title: 'Flattening point (raw curve)', align: 'right' },
      { key: 'knee', title: 'Kneedle knee', align: 'right' },
    ],
    [
      ...Object.keys(s.perActivation).map((a) => ({
        curve: `AE, ${a} decoder (ours)`,
        flat: String(s.perActivation[a].x ?? 'none'),
        raw: String(s.raw[a].x ?? 'none'),
        knee: String(s.kneedle[a].x ?? 'none'),
      })),
      {
        curve: "AE, relu decoder (the study's numbers)",
        flat: String(s.study.x ?? 'none'),
        raw: '',
        knee: '',
      },
    ],
    {
      caption: `Recommended latent dimension: ${s.recommended ?? 'none'} (the study's author: about 50). Rule parameter: fraction ${c.saturationFraction}; Kneedle sensitivity S = 1.`,
    },
  );

  rep.section(
    'reconstructions',
    'Reconstructions at every latent size',
    'The same ten test digits, one per class, reconstructed by each model. Blur fades as the code grows; past the saturation point the rows look alike.',
  );
  for (const p of img.reconstructions) rep.image(p.png, p.caption, p.caption);

  const relu = o.rows.filter((r) => r.activation === 'relu');
  const sig = o.rows.filter((r) => r.activation === 'sigmoid');
  const lower = sig.filter((r) =>
    relu.some((q) => q.latent === r.latent && r.testMse < q.testMse),
  ).length;
  const verdict =
    lower === sig.length
      ? 'The reason shows in the pictures as black holes inside the strokes: a ReLU output unit whose input is negative for every image outputs 0 and gets no gradient, so it never recovers (see "Dead output pixels" in the [sweep table](#sweep)); a sigmoid output always passes some gradient.'
      : 'This differs from the study, which found sigmoid lower at every size.';
  rep.section(
    'activation',
    'Decoder activation: ReLU versus sigmoid',
    sig.length > 0 && relu.length > 0
      ? `The study first used ReLU on the decoder output by mistake, then sigmoid, and found sigmoid lower at every latent size and visibly sharper at 100. Here sigmoid has the lower test MSE at ${lower} of ${sig.length} latent sizes. ${verdict}`
      : 'Only one decoder activation was run.',
  );
  rep.image(img.comparison.png, img.comparison.caption, img.comparison.caption);

  rep.section(
    'deep',
    'The deep autoencoder and its 3-d code',
    `${o.deep.label}: test MSE ${formatNumber(o.deep.testMse)} with a 3-number code (the shallow AE at latent ${dims[0]}: ${formatNumber(o.rows.find((r) => r.latent === dims[0])?.testMse ?? NaN)}). Digits were never shown to the model as labels, yet they gather in regions of the code space.`,
  );
  rep.chart(fig.deepCurve.chart, fig.deepCurve.caption);
  rep.chart(fig.projections.chart, fig.projections.caption, { embed: 'png' });
  rep.scatter3d(img.deepCodes.points, img.deepCodes.labels, {
    caption: `The same code in 3-d, ${img.deepCodes.labels.length.toLocaleString('en-US')} test digits`,
    axisNames: ['z1', 'z2', 'z3'],
    height: 520,
  });

  if (o.conv.length > 0 && img.denoising) {
    const list = o.conv
      .map(
        (m) =>
          `${m.filters} filters (code ${m.codeShape.join('x')} = ${m.latent} values): ${formatNumber(m.testMseNoisy)} from noisy input, ${formatNumber(m.testMse)} from clean input${m.pcaTestMse !== undefined ? `, where PCA with ${m.latent} components reaches ${formatNumber(m.pcaTestMse)}` : ''}`,
      )
      .join('; ');
    rep.section(
      'denoising',
      'The convolutional denoising autoencoder',
      `The model of TensorFlow's tutorial "Intro to Autoencoders": its input is corrupted by ${c.conv.noise} noise (clipped to [0, 1]) and it learns to output the clean image. Test MSE against the clean images: ${list}. Its code has more values than any dense code of the sweep; on the [error chart](#sweep) it sits at that size.`,
    );
    rep.image(img.denoising.png, img.denoising.caption, img.denoising.caption);
    rep.table(CONV_COLUMNS, o.conv, {
      caption:
        'MSE per pixel of images scaled to [0, 1], against the clean test images. "Noisy input": the same fixed corruption of every test image as in the picture. Dead code values: 0 for every test image (a model collapsed to one output has them all).',
    });
  }

  rep.section(
    'generation',
    'Decoder-only generation',
    'A trained decoder turns any code into an image. These codes were never produced by the encoder: points on the straight line between the codes of two real digits, and draws from a Gaussian fitted to the codes of the training set. The deep AE packs the digits into a small, densely filled 3-d region, so a Gaussian draw usually lands among them and decodes to a digit-like image, and its interpolations pass through other digits. The shallow 50-d code is sparse (ReLU) and fills only a thin part of its space: interpolations cross-fade between the two digits, while Gaussian draws mostly fall off the data and decode to blots.',
  );
  for (const p of img.generation) rep.image(p.png, p.caption, p.caption);

  rep.section('training', 'Training curves');
  rep.chart(fig.curves.chart, fig.curves.caption);

  rep.section('runtime', 'Run time and machine');
  rep.table(
    [
      { key: 'what', title: 'Measure' },
      { key: 'value', title: 'Value' },
    ],
    [
      { what: 'Total wall time', value: seconds(o.totalSeconds) },
      { what: 'Training phase (wall)', value: seconds(o.trainingSeconds) },
      { what: 'Runs reused from an earlier invocation', value: String(o.reused) },
      { what: 'CPU', value: `${o.machine.cpu} (${o.machine.cores} cores)` },
      {
        what: 'Parallelism',
        value: `${o.machine.workers} worker thread(s), ${o.machine.threads} onnxruntime thread(s) in all`,
      },
      { what: 'Node.js', value: o.machine.node },
      { what: 'OS', value: o.machine.os },
      { what: 'Seed', value: String(c.seed) },
    ],
  );
  rep.chart(fig.times.chart, fig.times.caption);
  return rep.render();
}
