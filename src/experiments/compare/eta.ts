/**
 * The time left in a comparison run. Each case (method x dim) has a prior cost
 * (compare-methods.ts `priorSeconds`); as cases finish, the priors of their method are scaled by
 * the ratio of measured to prior seconds, so the estimate adapts to the machine and its load. A
 * method not yet run takes the ratio of the finished cases of other methods, at least 1, counting
 * only cases with a prior of at least `MIN_PRIOR` seconds: on small data a case's seconds are
 * mostly fixed start-up costs, and their ratio to a millisecond prior (30x and more) says nothing
 * about the next method's speed. A case under way counts by its own progress when it reports one
 * (AE epochs).
 */
import { ConfigError } from '../../errors.js';

/** Priors below this many seconds do not set the ratio of methods not yet run. */
export const MIN_PRIOR = 0.5;

/** One case as the estimator sees it. */
export interface EtaCase {
  method: string;
  prior: number;
}

/** Remaining-time estimator over a fixed list of cases run in order. */
export class EtaModel {
  private readonly cases: readonly EtaCase[];
  private readonly actual: number[] = [];

  /** @throws ConfigError on a negative or non-finite prior */
  constructor(cases: readonly EtaCase[]) {
    cases.forEach((c, i) => {
      if (!(Number.isFinite(c.prior) && c.prior >= 0))
        throw new ConfigError(
          `EtaModel: cases[${i}].prior must be a finite number >= 0, got ${c.prior}`,
        );
    });
    this.cases = cases;
  }

  /** Sum of the priors: the estimate before anything ran. */
  get priorTotal(): number {
    return this.cases.reduce((s, c) => s + c.prior, 0);
  }

  /** Records the next case's measured seconds. @throws ConfigError when every case is done */
  finish(seconds: number): void {
    if (this.actual.length >= this.cases.length)
      throw new ConfigError(`EtaModel.finish: all ${this.cases.length} cases are already done`);
    this.actual.push(Math.max(0, seconds));
  }

  /** Cases finished so far. */
  get done(): number {
    return this.actual.length;
  }

  /**
   * Measured / prior seconds over the finished cases of `method`; for a method not yet run, that
   * ratio over the finished cases with a prior of at least MIN_PRIOR seconds, but at least 1 (one
   * method running fast says little about the next: PCA's metrics, not its fit, dominate its
   * cases); 1 before any such case.
   */
  ratio(method: string): number {
    let a = 0;
    let p = 0;
    let aAll = 0;
    let pAll = 0;
    this.actual.forEach((s, i) => {
      if (this.cases[i].prior >= MIN_PRIOR) {
        aAll += s;
        pAll += this.cases[i].prior;
      }
      if (this.cases[i].method === method) {
        a += s;
        p += this.cases[i].prior;
      }
    });
    if (p > 0) return a / p;
    return pAll > 0 ? Math.max(1, aAll / pAll) : 1;
  }

  /**
   * Seconds left: the unfinished cases' scaled priors; the current one (the next unfinished)
   * from its `elapsed` seconds and `fraction` done when given.
   */
  remaining(current?: { elapsed: number; fraction: number }): number {
    let left = 0;
    for (let i = this.actual.length; i < this.cases.length; i++) {
      const c = this.cases[i];
      const scaled = c.prior * this.ratio(c.method);
      if (i === this.actual.length && current !== undefined) {
        const f = Math.min(1, Math.max(0, current.fraction));
        // Below 5% the extrapolation from elapsed time is mostly noise (session start-up).
        const total = f >= 0.05 ? current.elapsed / f : scaled;
        left += Math.max(0, total - current.elapsed);
      } else left += scaled;
    }
    return left;
  }
}
