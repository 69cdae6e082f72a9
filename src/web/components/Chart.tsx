/** A uPlot chart that keeps its canvas across refreshes (setData, not re-creation) and follows its container's width. */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TimeFormat } from '../lib/format.js';
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
}

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

/** Whether the x scale shows less than the data: the user dragged to zoom. */
function isZoomed(u: uPlot): boolean {
  const xs = u.data[0];
  const { min, max } = u.scales['x'] ?? {};
  if (xs.length === 0 || min === undefined || max === undefined || min === null || max === null) return false;
  return min > xs[0]! || max < xs[xs.length - 1]!;
}

export function Chart({ options, shape, data, height, label, markers = [] }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markerRef = useRef<IncidentMarker[]>(markers);
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
        plugins: [markerPlugin(markerRef), ...(optionsRef.current.plugins ?? [])],
        // Drag across the chart to zoom into that span; "Reset zoom" (or a double click) shows it all again.
        cursor: { ...optionsRef.current.cursor, drag: { x: true, y: false, setScale: true } },
        hooks: {
          ...optionsRef.current.hooks,
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
    plot.current?.redraw(false);
  }, [markers]);

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
      />
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
