import type { DataProblem, ProblemList } from '../errors.js';
import { defaultRole, type ChartKind, type ChartSource } from '../data/schema.js';
import type { YamlFile, YamlPath } from '../data/yaml.js';
import type { Figure, FigureBook } from './figures.js';
import { closestName, didYouMean } from '../suggest.js';

export interface ChartCategory {
  key: string;
  label: string;
  role: string;
}

export interface ChartSeries {
  key: string;
  label: string;
  role: string;
  /** One per category, in the categories' order; null for a cell a table leaves blank. */
  points: (Figure | null)[];
}

export interface ChartAnnotation {
  kind: 'line' | 'band';
  from: Figure;
  /** A band's upper figure. */
  to: Figure | undefined;
  label: string;
}

/**
 * One model for every type of chart, and for tables: categories (bars' categories, a line's
 * periods, a doughnut's parts, a table's rows) and series over them (a table's columns).
 */
export interface ChartModel {
  id: string;
  type: ChartKind;
  stacked: boolean;
  orientation: ChartSource['orientation'];
  title: string;
  axis: string | undefined;
  categories: ChartCategory[];
  series: ChartSeries[];
  /** The category drawn in its colour while the others are muted. */
  highlight: number | null;
  annotations: ChartAnnotation[];
  labels: 'all' | 'last' | 'none';
  /** A doughnut's whole, when it has one (the rest is then its last part). */
  whole: Figure | undefined;
  /** Stacked bars: each category's total is written. */
  total: boolean;
  /** A table's header over its row labels. */
  corner: string | undefined;
  /** Every figure the chart shows, in reading order: what its slide cites. */
  figures: Figure[];
}

export interface ChartContext {
  figures: FigureBook;
  /** A figure that exists but failed to compute is reported once, where it is defined. */
  trulyUnknown: (id: string) => boolean;
  /** Roles declared in theme.yaml (and the built-in neutral one). */
  roles: ReadonlySet<string>;
  problems: ProblemList;
}

export function unknownRoleMessage(role: string, roles: ReadonlySet<string>): string {
  const declared = [...roles].sort().join(', ');
  const close = closestName(role, roles);
  if (close !== undefined) return `unknown role "${role}"; did you mean "${close}"? (theme.yaml declares: ${declared})`;
  return `unknown role "${role}" (theme.yaml declares: ${declared}); declare it under roles: in data/theme.yaml with its colour`;
}

/** One chart being built: its source, and how it finds figures and reports at a path of charts.yaml. */
interface Building {
  id: string;
  source: ChartSource;
  context: ChartContext;
  /** A problem at `path`, its message after the chart and field it names (after the chart alone when `named` is false). */
  report(path: YamlPath, message: string, named?: boolean): void;
  /** A figure by id, reported at `path` when unknown. */
  figure(id: string, path: YamlPath): Figure | undefined;
  role(role: string | undefined, path: YamlPath): string;
}

/** Charts (and tables) resolved to figures, every mistake located in charts.yaml. */
export function buildCharts(sources: Readonly<Record<string, ChartSource>>, chartsFile: YamlFile, context: ChartContext): Map<string, ChartModel> {
  const charts = new Map<string, ChartModel>();
  for (const [id, source] of Object.entries(sources)) {
    const report = (path: YamlPath, message: string, withPath = true): void => {
      const field = `${id}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
      const named = path.length === 0 || !withPath ? '' : `, ${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('')}`;
      context.problems.add({ ...chartsFile.locate([id, ...path]), field, message: `chart "${id}"${named}${withPath ? ':' : ''} ${message}` } satisfies DataProblem);
    };
    const building: Building = {
      id,
      source,
      context,
      report,
      figure(factId, path) {
        const figure = context.figures.get(factId);
        if (!figure && context.trulyUnknown(factId)) report(path, `unknown fact "${factId}"${didYouMean(factId, context.figures.keys())}`);
        return figure;
      },
      role(role, path) {
        if (role !== undefined && !context.roles.has(role)) report(path, unknownRoleMessage(role, context.roles));
        return role ?? defaultRole;
      },
    };
    charts.set(id, buildChart(building));
  }
  return charts;
}

function buildChart(building: Building): ChartModel {
  const { id, source } = building;
  const { categories, series, whole, dataPath } = source.parts ? partsOf(building) : source.bars ? barsOf(building) : source.categories ? gridOf(building) : periodsOf(building);
  const annotations = annotationsOf(building);
  const chart: ChartModel = {
    id,
    type: source.type,
    stacked: source.stacked,
    orientation: source.orientation,
    title: source.title,
    axis: source.axis,
    categories,
    series,
    highlight: highlightOf(building, categories),
    annotations,
    labels: source.labels ?? (source.type === 'line' || source.type === 'area' ? 'last' : 'all'),
    whole,
    total: source.total,
    corner: source.corner,
    figures: [],
  };
  chart.figures = readingOrder(chart);
  checkUnits(building, chart, dataPath);
  checkSigns(building, chart);
  return chart;
}

interface Shape {
  categories: ChartCategory[];
  series: ChartSeries[];
  whole: Figure | undefined;
  /** Where the chart's figures are written, for problems about all of them. */
  dataPath: YamlPath;
}

/** Today's single series: each bar a category with its own role. */
function barsOf(building: Building): Shape {
  const bars = building.source.bars ?? [];
  const categories = bars.map((bar, i) => ({ key: bar.fact, label: bar.label, role: building.role(bar.role, ['bars', i, 'role']) }));
  const points = bars.map((bar, i) => building.figure(bar.fact, ['bars', i, 'fact']) ?? null);
  return { categories, series: [{ key: 'value', label: building.source.title, role: categories[0]?.role ?? defaultRole, points }], whole: undefined, dataPath: ['bars'] };
}

/** Categories and series, each cell's id built from the pattern or read from the grid. */
function gridOf(building: Building): Shape {
  const { source } = building;
  const sourceSeries = source.series ?? [];
  const categories = (source.categories ?? []).map((category, i) => ({
    key: category.key,
    label: category.label,
    role: building.role(category.role ?? (sourceSeries.length === 1 ? sourceSeries[0]!.role : undefined), ['categories', i, 'role']),
  }));
  const series: ChartSeries[] = sourceSeries.map((one, i) => ({ key: one.key ?? String(i), label: one.label, role: building.role(one.role, ['series', i, 'role']), points: [] }));
  const ids = source.facts !== undefined ? patternIds(building, source.facts, categories, series) : gridIds(building, categories, series);
  for (const [s, one] of series.entries()) {
    one.points = categories.map((_, c) => {
      const cell = ids[c]?.[s];
      if (cell === undefined || cell === null) return null;
      return building.context.figures.get(cell.id) ?? (cell.path ? building.figure(cell.id, cell.path) : undefined) ?? null;
    });
  }
  return { categories, series, whole: undefined, dataPath: [source.facts !== undefined ? 'facts' : 'grid'] };
}

type Cell = { id: string; path: YamlPath | undefined } | null;

/** Ids from `{category}.medals.{series}`: the ones it cannot find, said once with what built them. */
function patternIds(building: Building, pattern: string, categories: readonly ChartCategory[], series: readonly ChartSeries[]): Cell[][] {
  const { figures, trulyUnknown } = building.context;
  const other = [...pattern.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]).filter((name) => name !== 'category' && name !== 'series');
  if (other.length > 0) {
    building.report(['facts'], `the pattern "${pattern}" uses {${other[0]}}: write {category} where the category's key goes and {series} where the series' does`);
    return [];
  }
  const missing: string[] = [];
  const ids = categories.map((category) =>
    series.map((one) => {
      const id = pattern.replaceAll('{category}', category.key).replaceAll('{series}', one.key);
      if (!figures.has(id) && trulyUnknown(id)) {
        missing.push(`category "${category.key}" and series "${one.key}" give "${id}"${didYouMean(id, figures.keys())}`);
        return null;
      }
      return { id, path: undefined };
    }),
  );
  if (missing.length > 0) {
    const more = missing.length > 1 ? `; ${missing.length - 1} more id${missing.length > 2 ? 's' : ''} it builds ${missing.length > 2 ? 'are' : 'is'} missing too (${missing.slice(1, 4).join('; ')}${missing.length > 4 ? '; …' : ''})` : '';
    building.report(['facts'], `the pattern "${pattern}" finds no fact or derived figure: ${missing[0]}${more}`);
  }
  return ids;
}

/** Ids written out: a row per category key, in series order. */
function gridIds(building: Building, categories: readonly ChartCategory[], series: readonly ChartSeries[]): Cell[][] {
  const grid = building.source.grid ?? {};
  const keys = categories.map((category) => category.key);
  for (const key of Object.keys(grid)) {
    if (!keys.includes(key)) building.report(['grid', key], `"${key}" is no category of the chart (its categories: ${keys.join(', ')})${didYouMean(key, keys)}`);
  }
  return categories.map((category) => {
    const row = Object.hasOwn(grid, category.key) ? grid[category.key]! : undefined;
    if (row === undefined) {
      building.report(['grid'], `has no row for category "${category.key}"`);
      return [];
    }
    if (row.length !== series.length) building.report(['grid', category.key], `has ${row.length} ids, but the chart has ${series.length} series (${series.map((one) => one.key).join(', ')})`);
    return series.map((_, s) => {
      const id = row[s];
      if (id === undefined) return null;
      if (id === null) {
        if (building.source.type !== 'table') building.report(['grid', category.key, s], 'is blank: only a table may leave a cell blank');
        return null;
      }
      return { id, path: ['grid', category.key, s] };
    });
  });
}

/** Series over periods: each series' figures (a pattern with `*`, or a list), lined up by period. */
function periodsOf(building: Building): Shape {
  const sourceSeries = building.source.series ?? [];
  const resolved = sourceSeries.map((one, i) => ({ ...seriesByPeriod(building, one.facts!, i), index: i }));
  const sortable = resolved.every((one) => one.periods.every((period) => periodKey(period) !== undefined));
  const seen: string[] = [];
  for (const one of resolved) for (const period of one.periods) if (!seen.includes(period)) seen.push(period);
  const periods = sortable ? [...seen].sort((a, b) => periodKey(a)! - periodKey(b)!) : seen;
  const series = resolved.map((one) => {
    const source = sourceSeries[one.index]!;
    for (const period of periods) {
      if (one.byPeriod.has(period)) continue;
      const holder = resolved.find((other) => other.byPeriod.has(period));
      building.report(['series', one.index, 'facts'], `series "${source.label}" has no figure for the period ${period}${holder ? `, which series "${sourceSeries[holder.index]!.label}" has` : ''}: every series of the chart needs every period`);
    }
    return { key: source.key ?? `series_${one.index + 1}`, label: source.label, role: building.role(source.role, ['series', one.index, 'role']), points: periods.map((period) => one.byPeriod.get(period) ?? null) };
  });
  const categories = periods.map((period) => ({ key: period, label: period, role: series.length === 1 ? series[0]!.role : defaultRole }));
  return { categories, series, whole: undefined, dataPath: ['series'] };
}

function seriesByPeriod(building: Building, facts: string | readonly string[], index: number): { periods: string[]; byPeriod: Map<string, Figure> } {
  const path: YamlPath = ['series', index, 'facts'];
  const found: { figure: Figure; path: YamlPath }[] = [];
  if (typeof facts === 'string') {
    if (!facts.includes('*')) building.report(path, `"${facts}" is one id, not a pattern: write * where the period goes (sales.monthly.*), or list the ids`);
    const match = new RegExp(`^${facts.split('*').map((part) => part.replace(/[.]/g, '\\.')).join('[a-z0-9_.]+')}$`);
    const ids = [...building.context.figures.keys()].filter((id) => match.test(id));
    if (ids.length === 0) building.report(path, `the pattern "${facts}" matches no fact or derived figure${didYouMean(facts.replace(/\*/g, ''), building.context.figures.keys())}`);
    for (const id of ids) found.push({ figure: building.context.figures.get(id)!, path });
  } else {
    facts.forEach((id, i) => {
      const figure = building.figure(id, [...path, i]);
      if (figure) found.push({ figure, path: [...path, i] });
    });
  }
  const byPeriod = new Map<string, Figure>();
  for (const { figure, path: at } of found) {
    const period = periodOf(figure);
    if (period === undefined) building.report(at, `"${figure.id}" has no period of its own (a derived figure has one when all its facts share it): a line runs over its figures' periods`);
    else if (byPeriod.has(period)) building.report(at, `"${figure.id}" and "${byPeriod.get(period)!.id}" are both for ${period}: a series has one figure per period`);
    else if (typeof facts === 'string' && periodKey(period) === undefined) building.report(at, `the period "${period}" of "${figure.id}" cannot be ordered (write 2024, 2024-03, Q1 2024 or H1 2024), or list the series' ids in order`);
    else byPeriod.set(period, figure);
  }
  return { periods: [...byPeriod.keys()], byPeriod };
}

/** A figure's period: a fact's own, or the one all a derived figure's facts share. */
function periodOf(figure: Figure): string | undefined {
  const periods = new Set(figure.basis.map((fact) => fact.period));
  return periods.size === 1 ? [...periods][0] : undefined;
}

/** Where a period falls in time: 2024, 2024-03, 2024-03-15, Q1 2024 / T1 2024, H1 2024 / S1 2024 (and 2024 Q1). */
export function periodKey(period: string): number | undefined {
  const text = period.trim();
  let match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (match) return Number(match[1]) + (match[2] ? (Number(match[2]) - 1) / 12 : 0) + (match[3] ? (Number(match[3]) - 1) / 400 : 0);
  match = /^([QT])([1-4])\s+(\d{4})$/i.exec(text) ?? /^(\d{4})\s+([QT])([1-4])$/i.exec(text);
  if (match) return /^\d/.test(match[1]!) ? Number(match[1]) + (Number(match[3]) - 1) / 4 : Number(match[3]) + (Number(match[2]) - 1) / 4;
  match = /^([HS])([12])\s+(\d{4})$/i.exec(text) ?? /^(\d{4})\s+([HS])([12])$/i.exec(text);
  if (match) return /^\d/.test(match[1]!) ? Number(match[1]) + (Number(match[3]) - 1) / 2 : Number(match[3]) + (Number(match[2]) - 1) / 2;
  return undefined;
}

/** A doughnut's parts, and what they leave of their whole as the last part. */
function partsOf(building: Building): Shape {
  const { source } = building;
  const parts = source.parts ?? [];
  const categories = parts.map((part, i) => ({ key: part.fact, label: part.label, role: building.role(part.role, ['parts', i, 'role']) }));
  const points: (Figure | null)[] = parts.map((part, i) => {
    const figure = building.figure(part.fact, ['parts', i, 'fact']);
    if (figure && figure.value < 0) building.report(['parts', i, 'fact'], `"${figure.id}" is ${figure.value}: a part of a whole cannot be below zero`);
    return figure ?? null;
  });
  const whole = source.whole === undefined ? undefined : building.figure(source.whole, ['whole']);
  const known = points.filter((point): point is Figure => point !== null);
  if (whole && known.length === parts.length) {
    const sum = known.reduce((total, point) => total + point.value, 0);
    if (sum > whole.value * (1 + 1e-9)) {
      building.report(['whole'], `the parts add up to ${plain(sum)}, more than their whole "${whole.id}" (${plain(whole.value)}): parts of a whole cannot exceed it`);
    } else {
      categories.push({ key: 'rest', label: source.rest ?? '', role: defaultRole });
      points.push(restFigure(building.id, whole, known, source.rest ?? ''));
    }
  }
  return { categories, series: [{ key: 'value', label: source.title, role: defaultRole, points }], whole, dataPath: ['parts'] };
}

const plain = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** What the parts leave of their whole: computed, resting on the same facts. */
function restFigure(chartId: string, whole: Figure, parts: readonly Figure[], label: string): Figure {
  const basis = [...new Map([whole, ...parts].flatMap((figure) => figure.basis).map((fact) => [fact.id, fact])).values()];
  const value = whole.value - parts.reduce((total, part) => total + part.value, 0);
  return { id: `${chartId}.rest`, value, unit: whole.unit, label, kind: 'derived', basis, articleValue: undefined, expr: `${whole.id} - (${parts.map((part) => part.id).join(' + ')})`, note: '' };
}

function annotationsOf(building: Building): ChartAnnotation[] {
  return building.source.annotations.flatMap((annotation, i): ChartAnnotation[] => {
    if ('line' in annotation) {
      const from = building.figure(annotation.line, ['annotations', i, 'line']);
      return from ? [{ kind: 'line', from, to: undefined, label: annotation.label }] : [];
    }
    const [low, high] = annotation.band.map((id, j) => building.figure(id, ['annotations', i, 'band', j]));
    return low && high ? [{ kind: 'band', from: low, to: high, label: annotation.label }] : [];
  });
}

function highlightOf(building: Building, categories: readonly ChartCategory[]): number | null {
  const wanted = building.source.highlight;
  if (wanted === undefined) return null;
  const index = categories.findIndex((category) => category.key === wanted);
  if (index < 0) {
    const keys = categories.map((category) => category.key);
    building.report(['highlight'], `"${wanted}" names no category of the chart (its categories: ${keys.join(', ')})${didYouMean(wanted, keys)}`);
    return null;
  }
  return index;
}

/** The chart's figures in the order a reader meets them: a table row by row, a chart series by series, then its whole and annotations. */
function readingOrder(chart: ChartModel): Figure[] {
  const cells = chart.type === 'table' ? chart.categories.flatMap((_, c) => chart.series.map((one) => one.points[c] ?? null)) : chart.series.flatMap((one) => one.points);
  const shown = [...cells, chart.whole ?? null, ...chart.annotations.flatMap((annotation) => [annotation.from, annotation.to ?? null])];
  // The rest of a whole is computed on the spot: its facts are the whole's and the parts'.
  return [...new Set(shown.filter((figure): figure is Figure => figure !== null && figure.id !== `${chart.id}.rest`))];
}

/** One axis, one unit: a chart's figures share it; a table's columns each have one. */
function checkUnits(building: Building, chart: ChartModel, dataPath: YamlPath): void {
  const groups = chart.type === 'table'
    ? chart.series.map((one) => ({ figures: one.points, what: `column "${one.key}"` }))
    : [{ figures: [...chart.series.flatMap((one) => one.points), chart.whole ?? null, ...chart.annotations.flatMap((a) => [a.from, a.to ?? null])], what: 'chart' }];
  for (const group of groups) {
    const byUnit = new Map<string, Figure>();
    for (const figure of group.figures) if (figure && !byUnit.has(figure.unit)) byUnit.set(figure.unit, figure);
    if (byUnit.size < 2) continue;
    const examples = [...byUnit.values()].map((figure) => `"${figure.id}" is ${figure.unit}`).join(', ');
    building.report(dataPath, `${group.what === 'chart' ? '' : `${group.what} `}mixes units ${[...byUnit.keys()].join(' and ')} (${examples}): ${group.what === 'chart' ? 'one chart compares figures of one unit' : 'a column holds figures of one unit'}`, false);
  }
}

/** Stacked parts pile up from zero on one side: a negative one among positive ones has no place. */
function checkSigns(building: Building, chart: ChartModel): void {
  if (!chart.stacked) return;
  const figures = chart.series.flatMap((one) => one.points).filter((figure): figure is Figure => figure !== null);
  const negative = figures.find((figure) => figure.value < 0);
  const positive = figures.find((figure) => figure.value > 0);
  if (negative && positive) building.report(['stacked'], `a stacked chart mixes signs ("${positive.id}" is ${positive.value}, "${negative.id}" is ${negative.value}): stacked parts must all be positive or all negative`);
}
