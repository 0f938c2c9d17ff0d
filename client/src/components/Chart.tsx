/**
 * Small inline-SVG charts (bars or a line) for the admin pages: no chart library, no
 * external requests, colours from the theme (`currentColor` = the accent).
 */
export interface ChartPoint {
  /** x-axis label, e.g. "11-23" */
  label: string;
  value: number;
}

const WIDTH = 600;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 22, left: 40 };

/** A round upper bound for the y axis (1, 2, 5 × 10^n), so the grid lines have readable values. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

function compact(n: number): string {
  return Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

export function Chart({ kind, points, title, testId }: { kind: 'bar' | 'line'; points: ChartPoint[]; title: string; testId?: string }) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = points.length > 0 ? innerW / points.length : innerW;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  // at most ~8 x labels, so they never overlap
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const summary = points.length ? `${title}: ${points.map((p) => `${p.label} ${p.value}`).join(', ')}` : `${title}: no data`;

  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} data-testid={testId} data-total={total}>
      <title>{title}</title>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line className="grid-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} />
          <text x={PAD.left - 6} y={y(max * f) + 3} textAnchor="end">
            {compact(max * f)}
          </text>
        </g>
      ))}
      {kind === 'bar' &&
        points.map((p, i) => (
          <rect key={p.label} x={x(i) - (slot * 0.7) / 2} y={y(p.value)} width={slot * 0.7} height={Math.max(0, innerH + PAD.top - y(p.value))} rx={2} fill="currentColor" opacity={0.85}>
            <title>{`${p.label}: ${p.value}`}</title>
          </rect>
        ))}
      {kind === 'line' && points.length > 0 && (
        <>
          <polyline fill="none" stroke="currentColor" strokeWidth={2} strokeLinejoin="round" points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')} />
          {points.map((p, i) => (
            <circle key={p.label} cx={x(i)} cy={y(p.value)} r={3} fill="currentColor">
              <title>{`${p.label}: ${p.value}`}</title>
            </circle>
          ))}
        </>
      )}
      {points.map((p, i) =>
        i % labelEvery === 0 || i === points.length - 1 ? (
          <text key={p.label} x={x(i)} y={HEIGHT - 6} textAnchor="middle">
            {p.label}
          </text>
        ) : null,
      )}
    </svg>
  );
}
