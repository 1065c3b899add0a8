import type { ProblemList } from '../errors.js';
import type { ChartSource } from '../data/schema.js';
import type { YamlFile } from '../data/yaml.js';
import type { Figure, FigureBook } from './figures.js';
import { closestName, didYouMean } from '../suggest.js';

export interface ChartBar {
  figure: Figure;
  label: string;
  role: string;
}

export interface ChartModel {
  id: string;
  title: string;
  orientation: ChartSource['orientation'];
  axis: string | undefined;
  bars: ChartBar[];
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

/** Bars resolved to figures; bars of one chart must share a unit to share an axis. */
export function buildCharts(sources: Readonly<Record<string, ChartSource>>, chartsFile: YamlFile, context: ChartContext): Map<string, ChartModel> {
  const { figures, trulyUnknown, roles, problems } = context;
  const charts = new Map<string, ChartModel>();
  for (const [id, source] of Object.entries(sources)) {
    const bars: ChartBar[] = [];
    source.bars.forEach((bar, index) => {
      if (!roles.has(bar.role)) {
        problems.add({ ...chartsFile.locate([id, 'bars', index, 'role']), field: `${id}.bars[${index}].role`, message: `chart "${id}", bars[${index}].role: ${unknownRoleMessage(bar.role, roles)}` });
      }
      const figure = figures.get(bar.fact);
      if (!figure) {
        if (trulyUnknown(bar.fact)) problems.add({ ...chartsFile.locate([id, 'bars', index, 'fact']), field: `${id}.bars[${index}].fact`, message: `chart "${id}", bars[${index}].fact: unknown fact "${bar.fact}"${didYouMean(bar.fact, figures.keys())}` });
        return;
      }
      bars.push({ figure, label: bar.label, role: bar.role });
    });
    const units = new Set(bars.map((bar) => bar.figure.unit));
    if (units.size > 1) {
      problems.add({ ...chartsFile.locate([id, 'bars']), field: `${id}.bars`, message: `chart "${id}" mixes units ${[...units].join(' and ')}: one chart compares figures of one unit` });
    }
    charts.set(id, { id, title: source.title, orientation: source.orientation, axis: source.axis, bars });
  }
  return charts;
}
