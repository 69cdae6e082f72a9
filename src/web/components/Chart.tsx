/** A uPlot chart that keeps its canvas across refreshes (setData, not re-creation) and follows its container's width. */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TimeFormat } from '../lib/format.js';
import { type ChartBand, labelRows } from '../lib/release.js';
import { type Columns, type IncidentMarker, layoutMarkers, timeAxisLabels } from '../lib/slo-charts.js';

export const CHART_COLOURS = {
  axis: '#8b98a8',
  grid: 'rgba(139, 152, 168, 0.14)',
  blue: '#56B4E9',
  green: '#009E73',
  orange: '#E69F00',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  yellow: '#F0E442',
} as const;

const MARKER_COLOURS: Record<IncidentMarker['priority'], string> = {
  P1: CHART_COLOURS.vermillion,
  P2: CHART_COLOURS.orange,
  P3: CHART_COLOURS.purple,
  P4: CHART_COLOURS.axis,
};

export interface ChartProps {
  /** Everything but size and data; must be stable for the life of the chart (a change of `shape` rebuilds it). */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  /** A key for the options: the chart is rebuilt only when it changes. */
  shape: string;
  data: Columns;
  height: number;
  /** What the chart shows, for screen readers (the figures are also given as text beside it). */
  label: string;
  markers?: IncidentMarker[];
  /** Shaded spans labelled with their names (corrections). */
  bands?: ChartBand[];
  /** Instants marked with a line and a label; hovering or focusing a label shows its `detail` (deployments). */
  flags?: ChartFlag[];
}

export interface ChartFlag {
  id: string;
  /** Epoch seconds. */
  at: number;
  label: string;
  detail: ReactNode;
}

/** Where a flag's label sits over the plot, in CSS pixels from the chart's top left; row null: no room for the label. */
interface FlagPlace {
  id: string;
  /** The label's left edge: at its line, or pulled left so it ends inside the plot. */
  x: number;
  row: number | null;
  /** In the plot's right half: the details open leftwards. */
  end: boolean;
}

const FLAG_ROWS = 2;
const FLAG_ROW_PX = 20;
const FLAG_FONT = '11px system-ui, sans-serif';
/** Padding and border of a flag's label, beyond its text. */
const FLAG_PAD_PX = 12;

/** Width of a two-character marker label ("P1") with its padding, in CSS pixels. */
const MARKER_LABEL_PX = 22;
const MARKER_ROW_PX = 14;

/**
 * Incident spans drawn under the series, each labelled with its priority so the colour is not the only cue;
 * labels are laid out in rows (layoutMarkers) so that neighbours never print over each other.
 */
function markerPlugin(markers: { current: IncidentMarker[] }): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: (u: uPlot) => {
        const { ctx } = u;
        const { top, left, width, height } = u.bbox;
        const dpr = devicePixelRatio;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        const spans = markers.current.map((m) => {
          const x0 = u.valToPos(m.from, 'x', true);
          return { m, x0, x1: Math.max(u.valToPos(m.to, 'x', true), x0 + 2 * dpr) };
        });
        const placed = layoutMarkers(
          spans.map((s) => ({ x: s.x0 / dpr, priority: s.m.priority })),
          MARKER_LABEL_PX,
        );
        for (const { m, x0, x1 } of spans) {
          ctx.fillStyle = `${MARKER_COLOURS[m.priority]}33`;
          ctx.fillRect(x0, top, x1 - x0, height);
          ctx.fillStyle = MARKER_COLOURS[m.priority];
          ctx.fillRect(x0, top, x1 - x0, 3 * dpr);
        }
        ctx.font = `${11 * dpr}px system-ui, sans-serif`;
        spans.forEach(({ m, x0 }, i) => {
          const place = placed[i]!;
          if (place.row === null) return;
          ctx.fillStyle = MARKER_COLOURS[m.priority];
          ctx.fillText(place.label, x0 + 3 * dpr, top + (16 + place.row * MARKER_ROW_PX) * dpr);
        });
        ctx.restore();
      },
    },
  };
}

/** Bands shaded across the plot with their names (hatched grey, so they read apart from incidents), and flag lines. */
function annotationPlugin(bands: { current: ChartBand[] }, flags: { current: ChartFlag[] }): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: (u: uPlot) => {
        const { ctx } = u;
        const { top, left, width, height } = u.bbox;
        const dpr = devicePixelRatio;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        ctx.font = `${11 * dpr}px system-ui, sans-serif`;
        for (const band of bands.current) {
          const x0 = u.valToPos(band.from, 'x', true);
          const x1 = Math.max(u.valToPos(band.to, 'x', true), x0 + 2 * dpr);
          ctx.fillStyle = 'rgba(139, 152, 168, 0.22)';
          ctx.fillRect(x0, top, x1 - x0, height);
          ctx.strokeStyle = 'rgba(139, 152, 168, 0.35)';
          ctx.lineWidth = dpr;
          for (let x = x0 - height; x < x1; x += 8 * dpr) {
            ctx.beginPath();
            ctx.moveTo(Math.max(x, x0), top + height - (Math.max(x, x0) - x));
            ctx.lineTo(Math.min(x + height, x1), top + height - (Math.min(x + height, x1) - x));
            ctx.stroke();
          }
          ctx.fillStyle = CHART_COLOURS.axis;
          ctx.fillText(band.label, x0 + 3 * dpr, top + height / 2);
        }
        ctx.strokeStyle = CHART_COLOURS.yellow;
        ctx.lineWidth = 1.5 * dpr;
        ctx.setLineDash([4 * dpr, 3 * dpr]);
        for (const flag of flags.current) {
          const x = Math.round(u.valToPos(flag.at, 'x', true));
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

/** Where the flags' labels go: at their line, in rows up from the plot's bottom, never over each other (labelRows). */
function placeFlags(u: uPlot, flags: readonly ChartFlag[]): FlagPlace[] {
  const dpr = devicePixelRatio;
  const left = u.bbox.left / dpr;
  const right = left + u.bbox.width / dpr;
  u.ctx.save();
  u.ctx.font = FLAG_FONT;
  const plotWidth = right - left;
  const shown = flags
    .map((f) => ({ id: f.id, line: u.valToPos(f.at, 'x'), width: u.ctx.measureText(f.label).width + FLAG_PAD_PX }))
    .filter((f) => f.line >= 0 && f.line <= plotWidth)
    .map((f) => ({ ...f, x: Math.max(0, Math.min(f.line, plotWidth - f.width)) }));
  u.ctx.restore();
  const rows = labelRows(shown, FLAG_ROWS);
  return shown.map((f, i) => ({ id: f.id, x: f.x + left, row: rows[i]!, end: f.line > plotWidth / 2 }));
}

/** Whether the x scale shows less than the data: the user dragged to zoom. */
function isZoomed(u: uPlot): boolean {
  const xs = u.data[0];
  const { min, max } = u.scales['x'] ?? {};
  if (xs.length === 0 || min === undefined || max === undefined || min === null || max === null) return false;
  return min > xs[0]! || max < xs[xs.length - 1]!;
}

const NO_BANDS: ChartBand[] = [];
const NO_FLAGS: ChartFlag[] = [];

export function Chart({ options, shape, data, height, label, markers = [], bands = NO_BANDS, flags = NO_FLAGS }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markerRef = useRef<IncidentMarker[]>(markers);
  const bandRef = useRef<ChartBand[]>(bands);
  const flagRef = useRef<ChartFlag[]>(flags);
  const [places, setPlaces] = useState<{ places: FlagPlace[]; bottom: number }>({ places: [], bottom: 0 });
  const tipPrefix = useId();
  const dataRef = useRef<Columns>(data);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const [zoomed, setZoomed] = useState(false);
  const zoomedRef = useRef(false);

  // Create once per shape; data and markers follow in the effects below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: options are read through a ref; `shape` is their identity
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const chart = new uPlot(
      {
        ...optionsRef.current,
        width: Math.max(200, el.clientWidth),
        height,
        plugins: [markerPlugin(markerRef), annotationPlugin(bandRef, flagRef), ...(optionsRef.current.plugins ?? [])],
        // Drag across the chart to zoom into that span; "Reset zoom" (or a double click) shows it all again.
        cursor: { ...optionsRef.current.cursor, drag: { x: true, y: false, setScale: true } },
        hooks: {
          ...optionsRef.current.hooks,
          // After each draw (data, zoom, resize): where the flags' labels go, kept only when it changed.
          draw: [
            (u: uPlot) => {
              const next = { places: placeFlags(u, flagRef.current), bottom: (u.bbox.top + u.bbox.height) / devicePixelRatio };
              setPlaces((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
            },
          ],
          setScale: [
            (u: uPlot, key: string) => {
              if (key !== 'x') return;
              zoomedRef.current = isZoomed(u);
              setZoomed(zoomedRef.current);
            },
          ],
        },
      },
      dataRef.current as uPlot.AlignedData,
      el,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (Math.abs(width - chart.width) > 1) chart.setSize({ width, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    dataRef.current = data;
    // A refresh keeps the user's zoom: only an unzoomed chart follows the data's new extent.
    plot.current?.setData(data as uPlot.AlignedData, !zoomedRef.current);
  }, [data]);

  useEffect(() => {
    markerRef.current = markers;
    bandRef.current = bands;
    flagRef.current = flags;
    plot.current?.redraw(false);
  }, [markers, bands, flags]);

  const resetZoom = () => {
    const u = plot.current;
    const xs = u?.data[0];
    if (!u || !xs || xs.length === 0) return;
    u.setScale('x', { min: xs[0]!, max: xs[xs.length - 1]! });
  };

  return (
    <div className="chart-wrap">
      {zoomed ? (
        <button type="button" className="button button-quiet chart-reset" onClick={resetZoom}>
          Reset zoom
        </button>
      ) : null}
      <div
        className="chart"
        ref={container}
        role="img"
        aria-label={`${label} (drag across it to zoom)`}
        data-points={data[0].length}
        data-gaps={(data[1] ?? []).filter((v) => v === null).length}
        data-bands={bands.map((b) => b.label).join('|')}
      />
      {places.places.length > 0 ? (
        <div className="chart-flags">
          {places.places.map((p) => {
            const flag = flags.find((f) => f.id === p.id);
            // A flag without room for its label keeps its line; the list beside the chart names it.
            if (!flag || p.row === null) return null;
            const tip = `${tipPrefix}-${p.id}`;
            return (
              <div
                key={p.id}
                className={`chart-flag${p.end ? ' chart-flag-end' : ''}`}
                data-flag={p.id}
                style={{ left: p.x, top: places.bottom - (p.row + 1) * FLAG_ROW_PX - 2 }}
              >
                <button type="button" className="chart-flag-label" aria-describedby={tip}>
                  {flag.label}
                </button>
                <div role="tooltip" id={tip} className="chart-flag-tip">
                  {flag.detail}
                </div>
              </div>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}

/** Time axis and theme shared by the dashboard's charts: instants shown in the configured zone. */
export function baseOptions(
  time: TimeFormat,
  yLabel: string,
  yValues: (v: number) => string,
): Omit<uPlot.Options, 'width' | 'height' | 'series'> {
  const axis: uPlot.Axis = {
    stroke: CHART_COLOURS.axis,
    grid: { stroke: CHART_COLOURS.grid, width: 1 },
    ticks: { stroke: CHART_COLOURS.grid, width: 1 },
    font: '12px system-ui, sans-serif',
  };
  return {
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), time.timeZone),
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false, setScale: true }, points: { size: 6 } },
    axes: [
      { ...axis, values: (_u, splits, _axis, _space, increment) => timeAxisLabels(time, splits, increment) },
      { ...axis, label: yLabel, labelFont: '12px system-ui, sans-serif', size: 64, values: (_u, splits) => splits.map(yValues) },
    ],
  };
}

/** The x series of a time chart: its legend value is the instant in the configured zone. */
export function timeSeries(time: TimeFormat): uPlot.Series {
  return { label: 'Time', value: (_u, v) => (v === null ? '—' : time.dateTime(v * 1000)) };
}
