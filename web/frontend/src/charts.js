import uPlot from 'uplot';

const COLORS = ['#2f7ed8', '#d9534f', '#1b9e77', '#7570b3', '#e6ab02', '#66a61e', '#a6761d', '#e7298a', '#666666', '#17becf'];
export const color = i => COLORS[i % COLORS.length];

/**
 * A line chart (uPlot): hover shows the values in the legend, dragging zooms (double click: back), clicking a
 * legend entry hides or shows its series. series: [{label, color, width, points: true for markers only, dash}].
 */
export function lineChart(container, title, xLabel, series, opts = {}) {
  const width = opts.width || Math.min(560, Math.max(320, container.clientWidth - 10 || 520));
  const u = new uPlot({
    title, width, height: opts.height || 220,
    scales: { x: { time: false }, y: opts.yRange ? { range: opts.yRange } : {} },
    axes: [{ label: xLabel }, { size: 60 }],
    cursor: { drag: { x: true, y: false } },
    bands: opts.bands,
    series: [{ label: xLabel }, ...series.map((s, i) => ({
      label: s.label, stroke: s.color || color(i), width: s.points ? 0 : (s.width || 1.5), dash: s.dash,
      spanGaps: !s.points, points: s.points ? { show: true, size: 7, fill: s.color || color(i) } : { show: false },
      value: (u, v) => v == null ? '—' : (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en') : v.toPrecision(4)),
    }))],
  }, [[], ...series.map(() => [])], container);
  return u;
}

/** Exponential moving average, debiased (as TensorBoard's smoothing). */
export function smooth(values, weight) {
  const out = new Array(values.length);
  let last = 0, n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(v)) { out[i] = null; continue; }
    last = last * weight + (1 - weight) * v; n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}
