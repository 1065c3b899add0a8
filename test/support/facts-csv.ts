/** facts.csv written by a test: the columns in order, a good row, and cells quoted as a spreadsheet would. */

export const columns = ['id', 'value', 'unit', 'period', 'label', 'source_title', 'source_url', 'article_value', 'status', 'note'] as const;
export type Column = (typeof columns)[number];
export const header = columns.join(',');

/** A sourced fact every check accepts; a row replaces the cells it names. */
export const goodCells: Record<Column, string> = {
  id: 'a.fact',
  value: '1',
  unit: 'USD',
  period: '2024',
  label: 'Un chiffre',
  source_title: 'Une source',
  source_url: 'https://example.org/',
  article_value: '',
  status: 'sourced',
  note: '',
};

/** A cell, quoted when it holds the separator, a quote or a line break. */
export function cell(text: string, delimiter = ','): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One comma-separated row: the good defaults with some cells replaced. */
export function row(cells: Partial<Record<Column, string>> = {}): string {
  const all = { ...goodCells, ...cells };
  return columns.map((name) => cell(all[name])).join(',');
}
