import { describe, expect, it } from 'vitest';
import { seededRandom } from '@nguon/demo/random';
import { forecastSeries, normalQuantile } from '../src/forecast/model';

/** Three seasons a year: a big winter–spring crop, a middling summer–autumn one, a small autumn–winter one. */
function seasonalSeries(seasons: number, noise: number, seed = 7): number[] {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const pattern = [1800, 1100, 600];
  return Array.from({ length: seasons }, (_, t) => 1000 + 15 * t + pattern[t % 3]! - 1167 + noise * gaussian());
}

describe('seasonal forecast model', () => {
  it('covers a held-back season with its prediction interval', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const series = seasonalSeries(16, 40, seed);
      const history = series.slice(0, -1);
      const result = forecastSeries(history, { period: 3, horizon: 1, level: 0.95, backtestSeasons: 3 });
      expect(result.model).toBe('HOLT_WINTERS_ADDITIVE');
      const [next] = result.points;
      expect(next!.lower).toBeLessThanOrEqual(series.at(-1)!);
      expect(next!.upper).toBeGreaterThanOrEqual(series.at(-1)!);
    }
  });

  it('follows the seasonal pattern rather than a straight line', () => {
    const result = forecastSeries(seasonalSeries(15, 0), { period: 3, horizon: 3, level: 0.8, backtestSeasons: 3 });
    const [a, b, c] = result.points.map((p) => p.value);
    // The next three seasons are DX, HT, TD again: high, middle, low.
    expect(a!).toBeGreaterThan(b!);
    expect(b!).toBeGreaterThan(c!);
    expect(result.mape!).toBeLessThan(5);
  });

  it('gives a flat forecast with no spread for a flat series', () => {
    const result = forecastSeries(Array(12).fill(500), { period: 3, horizon: 6, level: 0.9, backtestSeasons: 3 });
    for (const point of result.points) {
      expect(point.value).toBeCloseTo(500, 6);
      expect(point.upper - point.lower).toBeCloseTo(0, 6);
    }
    expect(result.mape).toBe(0);
  });

  it('widens its interval the further ahead it looks', () => {
    const result = forecastSeries(seasonalSeries(18, 60), { period: 3, horizon: 9, level: 0.8, backtestSeasons: 3 });
    const widths = result.points.map((p) => p.upper - p.lower);
    expect(widths.at(-1)!).toBeGreaterThan(widths[0]!);
  });

  it('falls back to seasonal naive when history is shorter than two years', () => {
    const result = forecastSeries([900, 500, 200, 950], { period: 3, horizon: 3, level: 0.8, backtestSeasons: 3 });
    expect(result.model).toBe('SEASONAL_NAIVE');
    expect(result.points.map((p) => p.value)).toEqual([500, 200, 950]);
  });

  it('reports backtest error over the held-back seasons honestly', () => {
    const result = forecastSeries(seasonalSeries(15, 100), { period: 3, horizon: 1, level: 0.8, backtestSeasons: 4 });
    expect(result.backtest).toHaveLength(4);
    const manual = (100 * result.backtest.reduce((s, b) => s + Math.abs(b.actual - b.predicted) / b.actual, 0)) / 4;
    expect(result.mape).toBeCloseTo(manual, 9);
  });

  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 5);
  });
});
