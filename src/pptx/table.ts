/**
 * A table of the deck (the `table` layout's part) as a native PowerPoint table where the browser
 * laid it out: a header row, a row per category with its cells written as on the slide and their
 * source markers, figures right-aligned, the highlighted row tinted.
 */
import type PptxGenJSModule from 'pptxgenjs';
import type { PartBox, ThemeTokens } from '../print/measure.js';
import type { TableCell as TableCellView, TableView } from '../render/charts.js';
import { colour, inches, points } from './text.js';

type PptxSlide = PptxGenJSModule.default.Slide;
type TableRow = PptxGenJSModule.default.TableRow;
type TableCellProps = PptxGenJSModule.default.TableCellProps;
type TableCell = PptxGenJSModule.default.TableCell;
type Border = PptxGenJSModule.default.BorderProps;

/** Whether a value is a table's view (what a `table` part's data-field names). */
export const isTableView = (value: unknown): value is TableView =>
  typeof value === 'object' && value !== null && Array.isArray((value as Partial<TableView>).columns) && Array.isArray((value as Partial<TableView>).rows);

/** Cell margins, in inches (pptxgenjs reads numbers of 1 and more as points): the deck's 8 px by 18 px. */
const cellMargin: [number, number, number, number] = [inches(8), inches(18), inches(8), inches(18)];

/** How much of the accent a highlighted row's ground takes (the rest is the paper's), as in the deck. */
const tintStrength = 0.1;

/** The header row is set smaller than the cells, as in the deck (22 and 26 px in its theme). */
const headerScale = 22 / 26;

function tint(hex: string, paper: string, strength: number): string {
  const channels = (value: string): number[] => [0, 2, 4].map((at) => parseInt(colour(value).slice(at, at + 2), 16));
  const [ink, ground] = [channels(hex), channels(paper)];
  return ink.map((channel, index) => Math.round(channel * strength + ground[index]! * (1 - strength)).toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** A cell's runs: its text as printed, then its source marker raised and faint, "[1]", as the slide shows it. */
function cellRuns(cell: TableCellView, options: TableCellProps, tokens: ThemeTokens): TableCell[] {
  const runs: TableCell[] = [{ text: cell.text, options }];
  // pptxgenjs writes a cell's runs as a text box's (superscript included; its types leave it out),
  // and starts a new paragraph where a run's alignment differs from the one before.
  if (cell.citation) runs.push({ text: `\u2009[${cell.citation}]`, options: { ...options, bold: false, color: colour(tokens.inkFaint), superscript: true } as TableCellProps });
  return runs;
}

/**
 * Columns as wide as their longest text asks (the browser measured the table, not its columns):
 * the labels' column and each figures' column by its longest entry, within the table's width.
 */
function columnWidths(table: TableView, width: number): number[] {
  const longest = (texts: string[]): number => Math.max(4, ...texts.map((text) => text.length));
  const weights = [
    longest([table.corner, ...table.rows.map((row) => row.label)]),
    ...table.columns.map((column, index) => longest([column.label, ...table.rows.map((row) => `${row.cells[index]?.text ?? ''}${row.cells[index]?.citation ? ` [${row.cells[index]!.citation}]` : ''}`)])),
  ];
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => inches((width * weight) / total));
}

/**
 * Draws the table's rows where its part has them, in the part's font, size and colour: the header
 * row smaller, in the soft ink, over a rule in each column's role colour; the rows' labels bold,
 * figures right-aligned, the highlighted row tinted with the accent, its figures bold, a bar of
 * accent at its start; a thin rule under every row.
 */
export function drawTable(slide: PptxSlide, table: TableView, part: PartBox, tokens: ThemeTokens, lang: string): void {
  const { look, box } = part;
  const line = (color: string, px: number): Border => ({ type: 'solid', color: colour(color), pt: points(px) });
  const none: Border = { type: 'none' };
  const rule = line(tokens.rule, 1);
  const font = { fontFace: look.serif ? '+mj-lt' : '+mn-lt', fontSize: points(look.fontSize), color: colour(look.color), margin: cellMargin, valign: 'middle', lang } as TableCellProps;
  const headers = [{ label: table.corner, role: undefined }, ...table.columns];
  const header: TableRow = headers.map((column, index) => ({
    text: column.label,
    options: { ...font, fontSize: points(look.fontSize * headerScale), bold: true, color: colour(tokens.inkSoft), align: index === 0 ? 'left' : 'right', border: [none, none, column.role ? line(tokens.roles[column.role] ?? tokens.rule, 4) : rule, none] },
  }));
  const rows: TableRow[] = table.rows.map((row) => {
    const ground = row.highlighted ? { fill: { color: tint(tokens.accent, tokens.paper, tintStrength) } } : {};
    const start = row.highlighted ? line(tokens.accent, 6) : none;
    return [
      { text: row.label, options: { ...font, ...ground, bold: true, align: 'left', border: [none, none, rule, start] } },
      ...row.cells.map((cell): TableCell => {
        const options: TableCellProps = { ...font, ...ground, bold: row.highlighted, align: 'right', border: [none, none, rule, none] };
        return { text: cellRuns(cell, options, tokens), options };
      }),
    ];
  });
  slide.addTable([header, ...rows], {
    x: inches(box.x),
    y: inches(box.y),
    w: inches(box.w),
    colW: columnWidths(table, box.w),
    rowH: inches(box.h / (rows.length + 1)),
    autoPage: false,
  });
}
