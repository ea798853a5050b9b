/**
 * Seasonal forecasting for production series (one value per crop season),
 * in plain TypeScript so it runs the same in every replica and in tests.
 *
 * The model is additive Holt-Winters (level, optionally damped trend, one
 * seasonal term per season of the year) with its smoothing parameters chosen
 * by grid search on one-step-ahead squared error. Intervals come from the
 * larger of the in-sample and the backtest one-step RMSE, widened with the
 * horizon by the model's own error-propagation weights (Hyndman & Athanasopoulos,
 * FPP §8.7). Series too short for two seasonal cycles fall back to seasonal
 * naive (or the mean), and say so.
 */

export type ModelKind = 'HOLT_WINTERS_ADDITIVE' | 'SEASONAL_NAIVE' | 'MEAN';

export interface ForecastPoint {
  /** 1 = the season after the last observed one. */
  step: number;
  value: number;
  lower: number;
  upper: number;
}

export interface BacktestPoint {
  /** Index into the series of the season that was held back. */
  index: number;
  actual: number;
  predicted: number;
}

export interface ForecastResult {
  model: ModelKind;
  params: { alpha: number; beta: number; gamma: number; phi: number } | null;
  points: ForecastPoint[];
  /** Mean absolute percentage error of one-step forecasts over the held-back seasons; null without nonzero actuals. */
  mape: number | null;
  backtest: BacktestPoint[];
  /** Standard deviation of a one-step error, in the series' unit. */
  sigma: number;
}

interface Fitted {
  kind: ModelKind;
  params: ForecastResult['params'];
  /** Point forecast `h` seasons ahead (h ≥ 1). */
  predict(h: number): number;
  /** Standard deviation multiplier of an h-step error relative to a one-step error. */
  spread(h: number): number;
  residuals: number[];
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const BETAS = [0, 0.05, 0.1, 0.2, 0.3];
const GAMMAS = [0, 0.05, 0.1, 0.2, 0.3, 0.5];
const PHIS = [0.9, 0.98, 1];

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const rms = (xs: readonly number[]) => (xs.length ? Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length) : 0);

function holtWinters(y: readonly number[], m: number, alpha: number, beta: number, gamma: number, phi: number) {
  const first = mean(y.slice(0, m));
  const second = mean(y.slice(m, 2 * m));
  let level = first;
  let trend = (second - first) / m;
  const season = y.slice(0, m).map((v) => v - first);
  const residuals: number[] = [];
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = season[t % m]!;
    const forecast = level + phi * trend + s;
    const error = y[t]! - forecast;
    // The first cycle only initialises the seasonal terms; its errors would reward that, not the model.
    if (t >= m) {
      residuals.push(error);
      sse += error * error;
    }
    const previous = level;
    level = alpha * (y[t]! - s) + (1 - alpha) * (previous + phi * trend);
    trend = beta * (level - previous) + (1 - beta) * phi * trend;
    season[t % m] = gamma * (y[t]! - level) + (1 - gamma) * s;
  }
  return { sse, residuals, level, trend, season };
}

function fitHoltWinters(y: readonly number[], m: number): Fitted {
  let best: { sse: number; alpha: number; beta: number; gamma: number; phi: number } | null = null;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of GAMMAS)
        for (const phi of PHIS) {
          const { sse } = holtWinters(y, m, alpha, beta, gamma, phi);
          // Strictly better only: on ties (a flat series) the first, smoothest candidate stays.
          if (!best || sse < best.sse - 1e-9 * (1 + best.sse)) best = { sse, alpha, beta, gamma, phi };
        }
  const { alpha, beta, gamma, phi } = best!;
  const state = holtWinters(y, m, alpha, beta, gamma, phi);
  const n = y.length;
  return {
    kind: 'HOLT_WINTERS_ADDITIVE',
    params: { alpha, beta, gamma, phi },
    residuals: state.residuals,
    predict: (h) => {
      let damp = 0;
      for (let i = 1; i <= h; i++) damp += phi ** i;
      return state.level + damp * state.trend + state.season[(n + h - 1) % m]!;
    },
    spread: (h) => {
      let v = 1;
      for (let j = 1; j < h; j++) {
        const c = alpha * (1 + j * beta) + (j % m === 0 ? gamma : 0);
        v += c * c;
      }
      return Math.sqrt(v);
    },
  };
}

function fitSeasonalNaive(y: readonly number[], m: number): Fitted {
  const n = y.length;
  return {
    kind: 'SEASONAL_NAIVE',
    params: null,
    residuals: y.slice(m).map((v, i) => v - y[i]!),
    predict: (h) => y[n - m + ((h - 1) % m)]!,
    spread: (h) => Math.sqrt(Math.floor((h - 1) / m) + 1),
  };
}

function fitMean(y: readonly number[]): Fitted {
  const mu = mean(y);
  return {
    kind: 'MEAN',
    params: null,
    residuals: y.map((v) => v - mu),
    predict: () => mu,
    spread: () => Math.sqrt(1 + 1 / Math.max(1, y.length)),
  };
}

function fit(y: readonly number[], m: number): Fitted {
  if (y.length >= 2 * m) return fitHoltWinters(y, m);
  if (y.length > m) return fitSeasonalNaive(y, m);
  return fitMean(y);
}

/** Smallest training series each model needs, so the backtest compares like with like. */
const minimumTraining = (n: number, m: number) => (n >= 2 * m + 1 ? 2 * m : n > m + 1 ? m + 1 : Math.max(1, n - 1));

/**
 * Forecasts `horizon` seasons after the series, with a central `level`
 * prediction interval (e.g. 0.8), and backtests the same procedure on the
 * last `backtestSeasons` observed seasons (rolling origin, one step ahead).
 */
export function forecastSeries(y: readonly number[], options: { period: number; horizon: number; level: number; backtestSeasons: number }): ForecastResult {
  const { period: m, horizon, level } = options;
  if (y.length === 0) throw new Error('forecastSeries needs at least one observation');
  const model = fit(y, m);

  const backtest: BacktestPoint[] = [];
  const minTrain = minimumTraining(y.length, m);
  const k = Math.max(0, Math.min(options.backtestSeasons, y.length - minTrain));
  for (let index = y.length - k; index < y.length; index++) {
    const trained = fit(y.slice(0, index), m);
    backtest.push({ index, actual: y[index]!, predicted: Math.max(0, trained.predict(1)) });
  }
  const errors = backtest.filter((b) => b.actual !== 0).map((b) => Math.abs(b.actual - b.predicted) / Math.abs(b.actual));
  const mape = errors.length ? (100 * errors.reduce((a, b) => a + b, 0)) / errors.length : null;

  // Honest width: never narrower than what the backtest actually missed by.
  const sigma = Math.max(rms(model.residuals), rms(backtest.map((b) => b.actual - b.predicted)));
  const z = normalQuantile(0.5 + level / 2);
  const points: ForecastPoint[] = [];
  for (let h = 1; h <= horizon; h++) {
    const value = Math.max(0, model.predict(h));
    const half = z * sigma * model.spread(h);
    points.push({ step: h, value, lower: Math.max(0, value - half), upper: value + half });
  }
  return { model: model.kind, params: model.params, points, mape, backtest, sigma };
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new RangeError('p must be in (0, 1)');
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
