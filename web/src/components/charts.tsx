/** Charts in plain SVG (no chart library): horizontal bars with labels and values as text. */

export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the bar's colour (chart-ok, chart-warn, chart-bad). */
  tone?: string;
}

/** Horizontal bars scaled to the largest value; the numbers are printed, so colour is never the only cue. */
export function BarChart({ title, bars, unit = '' }: { title: string; bars: Bar[]; unit?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 26;
  const labelWidth = 150;
  const width = 420;
  const height = Math.max(row, bars.length * row);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">nothing to show</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}${unit}`).join(', ')}`}>
          {bars.map((b, i) => {
            const w = ((width - labelWidth - 50) * b.value) / max;
            return (
              <g key={b.label} transform={`translate(0 ${i * row})`}>
                <text x={labelWidth - 8} y={row / 2 + 4} textAnchor="end" className="chart-label">{b.label}</text>
                <rect x={labelWidth} y={4} width={Math.max(1, w)} height={row - 8} className={b.tone ?? 'chart-neutral'} />
                <text x={labelWidth + w + 6} y={row / 2 + 4} className="chart-value">{b.value}{unit}</text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

/** One usage bar (used of limit) with its numbers. */
export function UsageBar({ label, used, limit }: { label: string; used: number; limit: number | null }) {
  const ratio = limit ? Math.min(1, used / limit) : 0;
  const tone = ratio >= 1 ? 'chart-bad' : ratio >= 0.8 ? 'chart-warn' : 'chart-ok';
  return (
    <div className="usage">
      <div className="usage-label">{label}: {used} of {limit ?? 'unlimited'}</div>
      <svg viewBox="0 0 200 12" role="img" aria-label={`${label}: ${used} of ${limit ?? 'unlimited'}`} preserveAspectRatio="none">
        <rect x={0} y={0} width={200} height={12} className="chart-track" />
        <rect x={0} y={0} width={200 * ratio} height={12} className={tone} />
      </svg>
    </div>
  );
}
