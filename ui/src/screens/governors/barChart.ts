// The governors' charts, drawn with Chart.js from the core's chart data (the same figures the
// PDF and the web page draw). Only the parts a horizontal bar chart needs are registered, so
// the rest of Chart.js stays out of the build. Numbers are written here, not through Chart.js's
// Intl formatting, so that the system locale never changes them.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import type { Chart as ChartData } from '../../bindings/Chart';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
// The app's own type and ink, so the charts read like the page around them.
Chart.defaults.font.family = '"Noto Sans", "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif';
Chart.defaults.font.size = 13;
Chart.defaults.color = '#1b1f24';

/** "14.7%" for a percentage chart, "12" for a count. */
export function chartValue(chart: ChartData, value: number): string {
  return chart.unit === '%' ? `${value.toFixed(1)}%` : String(Math.round(value));
}

/**
 * A long label ("Social, emotional and mental health") on lines of about 20 characters, so
 * that a chart half a 1024-pixel window wide keeps the whole label beside its bars.
 */
export function labelLines(label: string, width = 20): string[] {
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length < width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** How tall a chart is drawn: enough for each row's bars, the axis and the legend. */
export function chartHeight(chart: ChartData): number {
  return Math.max(150, chart.rows.length * (12 + 18 * Math.max(1, chart.series.length)) + 70);
}

function config(chart: ChartData): ChartConfiguration<'bar', (number | null)[], string[]> {
  return {
    type: 'bar',
    data: {
      labels: chart.rows.map((row) => labelLines(row.label)),
      // A hidden figure is null, and Chart.js draws no bar for it: it is never shown as 0.
      datasets: chart.series.map((series, i) => ({
        label: series.name,
        data: chart.rows.map((row) => row.values[i] ?? null),
        backgroundColor: series.colour,
        borderColor: series.colour,
      })),
    },
    options: {
      indexAxis: 'y',
      locale: 'en-GB',
      responsive: true,
      maintainAspectRatio: false,
      // No animation: a printed page, a screenshot or a test sees the finished chart at once.
      animation: false,
      scales: {
        x: {
          beginAtZero: true,
          suggestedMax: chart.max,
          ticks: { precision: chart.unit === '%' ? undefined : 0, callback: (value) => chartValue(chart, Number(value)) },
        },
        y: { ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${chartValue(chart, Number(item.raw))}` } },
      },
    },
  };
}

/**
 * Draws a chart on a canvas and returns what takes it down again. A canvas that cannot draw
 * (jsdom, in the component tests, has no 2D context) gets no chart: the tables below hold
 * every figure. In a browser the context is always there, so nothing is hidden there.
 */
export function drawChart(canvas: HTMLCanvasElement, chart: ChartData): () => void {
  if (!canvas.getContext('2d')) return () => {};
  const drawn = new Chart(canvas, config(chart));
  return () => drawn.destroy();
}
