/**
 * Reads a .pptx back for the tests: slides in order with their title, paragraphs, charts (with the
 * workbook behind "Edit Data"), notes and links, and the package's own consistency. JSZip and
 * regular expressions: enough for files we write ourselves; well-formedness is checked with xmldom.
 */
import { DOMParser } from '@xmldom/xmldom';
import JSZip from 'jszip';
import { posix } from 'node:path';

const all = (pattern: RegExp, text: string): RegExpMatchArray[] => [...text.matchAll(pattern)];
const unxml = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const texts = (xml: string): string[] => all(/<a:t>([^<]*)<\/a:t>/g, xml).map((match) => unxml(match[1]!));
/** A paragraph's runs joined, so "Sources : [1] [2]" reads as one string. */
const paragraphs = (xml: string): string[] => all(/<a:p>([\s\S]*?)<\/a:p>/g, xml).map((match) => texts(match[1]!).join('')).filter(Boolean);

export interface Relation {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export interface ChartPart {
  part: string;
  xml: string;
  barDir: string | undefined;
  title: string;
  axisTitles: string[];
  categories: string[];
  values: number[];
  /** Each bar's fill, in order. */
  colours: string[];
  /** Each bar's own label text. */
  labels: string[];
  reversed: boolean;
  /** The embedded workbook's cells by reference (A2: "Bénéfice de Tether", B2: 13.7). */
  sheet: Record<string, string | number>;
  /** Each type the chart draws, in order (barChart, lineChart...), with its grouping when it has one. */
  types: { type: string; grouping: string | undefined }[];
  /** Every series, in order, across the chart's types. */
  series: ChartSeries[];
  /** The series indexes the legend leaves out; null when the chart has no legend. */
  legend: { hidden: number[] } | null;
}

export interface ChartSeries {
  /** The chart element it is in (barChart, lineChart, areaChart, doughnutChart). */
  type: string;
  name: string;
  categories: string[];
  values: number[];
  /** The series' own fill, and each point's that has one of its own (by index). */
  fill: string | undefined;
  pointFills: Record<number, string>;
  /** Each point's own label text (by index); deleted labels are left out. */
  labels: Record<number, string>;
  /** Where the series' labels sit (dLblPos), when said. */
  labelPosition: string | undefined;
  xml: string;
}

export interface Frame { x: number; y: number; w: number; h: number }
const frameOf = (match: RegExpMatchArray): Frame => {
  const [x, y, w, h] = match.slice(1, 5).map((value) => Number(value) / 9525) as [number, number, number, number];
  return { x, y, w, h };
};

export interface SlidePart {
  number: number;
  xml: string;
  title: string;
  paragraphs: string[];
  charts: ChartPart[];
  notes: string[];
  links: ({ url: string } | { slide: number })[];
  pictures: number;
  /** Where the title placeholder is, in slide pixels. */
  titleFrame: Frame | undefined;
  /** Where each chart is on the slide, in slide pixels. */
  chartFrames: Frame[];
  /** Where each text box with letter-spaced text is (a kicker), in slide pixels. */
  spacedFrames: Frame[];
}

async function relationsOf(zip: JSZip, part: string): Promise<Relation[]> {
  const xml = await zip.file(posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`))?.async('string');
  if (!xml) return [];
  return all(/<Relationship ([^>]*)\/>/g, xml).map((match) => {
    const attributes = Object.fromEntries(all(/(\w+)="([^"]*)"/g, match[1]!).map((pair) => [pair[1]!, unxml(pair[2]!)]));
    const external = attributes.TargetMode === 'External';
    const target = external ? attributes.Target! : attributes.Target!.startsWith('/') ? attributes.Target!.slice(1) : posix.join(posix.dirname(part), attributes.Target!);
    return { id: attributes.Id!, type: attributes.Type!.split('/').pop()!, target, external };
  });
}

function seriesOf(xml: string): ChartSeries[] {
  const points = (section: string): string[] => all(/<c:pt idx="\d+">\s*<c:v>([^<]*)<\/c:v>/g, section).map((match) => unxml(match[1]!));
  return all(/<c:(\w+Chart)>([\s\S]*?)<\/c:\1>/g, xml).flatMap((chart) => all(/<c:ser>([\s\S]*?)<\/c:ser>/g, chart[2]!).map((match) => {
    const series = match[1]!;
    const withoutPoints = series.replace(/<c:dPt>[\s\S]*?<\/c:dPt>/g, '').replace(/<c:dLbls>[\s\S]*?<\/c:dLbls>/g, '').replace(/<c:marker>[\s\S]*?<\/c:marker>/g, '');
    const labels = all(/<c:dLbl>\s*<c:idx val="(\d+)"\/>((?:(?!<\/c:dLbl>)[\s\S])*)<\/c:dLbl>/g, series).filter((label) => !label[2]!.includes('<c:delete val="1"/>'));
    return {
      type: chart[1]!,
      name: points(/<c:tx>([\s\S]*?)<\/c:tx>/.exec(series)?.[1] ?? '').join(''),
      categories: points(/<c:cat>([\s\S]*?)<\/c:cat>/.exec(series)?.[1] ?? ''),
      values: points(/<c:val>([\s\S]*?)<\/c:val>/.exec(series)?.[1] ?? '').map(Number),
      fill: /<c:spPr>\s*<a:solidFill>\s*<a:srgbClr val="(\w+)"/.exec(withoutPoints)?.[1]?.toLowerCase(),
      pointFills: Object.fromEntries(all(/<c:dPt>\s*<c:idx val="(\d+)"\/>[\s\S]*?<a:srgbClr val="(\w+)"/g, series).map((point) => [Number(point[1]), point[2]!.toLowerCase()])),
      labels: Object.fromEntries(labels.map((label) => [Number(label[1]), texts(label[2]!).join('')])),
      labelPosition: /<c:dLbls>(?:(?!<c:dLbl>)[\s\S])*?<c:dLblPos val="(\w+)"\/>/.exec(series.replace(/<c:dLbl>[\s\S]*?<\/c:dLbl>/g, ''))?.[1],
      xml: series,
    };
  }));
}

async function chartOf(zip: JSZip, part: string): Promise<ChartPart> {
  const xml = await zip.file(part)!.async('string');
  const series = /<c:ser>([\s\S]*?)<\/c:ser>/.exec(xml)![1]!;
  const points = (section: string): string[] => all(/<c:pt idx="\d+">\s*<c:v>([^<]*)<\/c:v>/g, section).map((match) => unxml(match[1]!));
  const workbookPart = (await relationsOf(zip, part)).find((relation) => relation.type === 'package')!.target;
  const workbook = await JSZip.loadAsync(await zip.file(workbookPart)!.async('uint8array'));
  const shared = all(/<t(?: [^>]*)?>([^<]*)<\/t>/g, await workbook.file('xl/sharedStrings.xml')!.async('string')).map((match) => unxml(match[1]!));
  const cells = all(/<c r="([A-Z]+\d+)"([^>]*)>\s*<v>([^<]*)<\/v>/g, await workbook.file('xl/worksheets/sheet1.xml')!.async('string'));
  return {
    part,
    xml,
    barDir: /<c:barDir val="(\w+)"/.exec(xml)?.[1],
    // The chart's own title (c:chart's first child), not an axis's.
    title: texts(/<c:chart>\s*<c:title>([\s\S]*?)<\/c:title>/.exec(xml)?.[1] ?? '').join(''),
    axisTitles: all(/<c:valAx>[\s\S]*?<c:title>([\s\S]*?)<\/c:title>/g, xml).map((match) => texts(match[1]!).join('')),
    categories: points(/<c:cat>([\s\S]*?)<\/c:cat>/.exec(series)![1]!),
    values: points(/<c:val>([\s\S]*?)<\/c:val>/.exec(series)![1]!).map(Number),
    colours: all(/<c:dPt>[\s\S]*?<a:srgbClr val="(\w+)"/g, series).map((match) => `#${match[1]!.toLowerCase()}`),
    labels: all(/<c:dLbl>[\s\S]*?<c:idx val="\d+"\/>[\s\S]*?<c:rich>([\s\S]*?)<\/c:rich>/g, series).map((match) => texts(match[1]!).join('')),
    reversed: /<c:catAx>[\s\S]*?<c:orientation val="maxMin"\/>/.test(xml),
    sheet: Object.fromEntries(cells.map((match) => [match[1]!, /\bt="s"/.test(match[2]!) ? shared[Number(match[3])]! : Number(match[3])])),
    types: all(/<c:(\w+Chart)>([\s\S]*?)<\/c:\1>/g, xml).map((match) => ({ type: match[1]!, grouping: /^\s*(?:<c:barDir val="\w+"\/>)?\s*<c:grouping val="(\w+)"\/>/.exec(match[2]!)?.[1] })),
    series: seriesOf(xml),
    legend: ((legend) => (legend === undefined ? null : { hidden: all(/<c:legendEntry>\s*<c:idx val="(\d+)"\/>\s*<c:delete val="1"\/>/g, legend).map((match) => Number(match[1])) }))(/<c:legend>([\s\S]*?)<\/c:legend>/.exec(xml)?.[1]),
  };
}

/** Every XML part that does not parse, with the parser's complaint. */
function malformed(name: string, xml: string): string[] {
  const problems: string[] = [];
  new DOMParser({ onError: (level, message) => { if (level !== 'warning') problems.push(`${name}: ${message}`); } }).parseFromString(xml, 'text/xml');
  return problems;
}

export async function readPptx(bytes: Uint8Array): Promise<{ slides: SlidePart[]; problems: string[]; files: string[]; zip: JSZip }> {
  const zip = await JSZip.loadAsync(bytes);
  const files = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir);
  const presentation = await zip.file('ppt/presentation.xml')!.async('string');
  const presentationRelations = await relationsOf(zip, 'ppt/presentation.xml');
  const slideParts = all(/<p:sldId [^>]*r:id="(\w+)"/g, presentation).map((match) => presentationRelations.find((relation) => relation.id === match[1])!.target);
  const slides: SlidePart[] = [];
  for (const [index, part] of slideParts.entries()) {
    const xml = await zip.file(part)!.async('string');
    const relations = await relationsOf(zip, part);
    const notesPart = relations.find((relation) => relation.type === 'notesSlide')?.target;
    const notesXml = notesPart ? await zip.file(notesPart)!.async('string') : '';
    const notesBody = /<p:ph type="body"[\s\S]*?<p:txBody>([\s\S]*?)<\/p:txBody>/.exec(notesXml)?.[1] ?? '';
    slides.push({
      number: index + 1,
      xml,
      title: texts(/<p:ph[^>]*type="title"[\s\S]*?<p:txBody>([\s\S]*?)<\/p:txBody>/.exec(xml)?.[1] ?? '').join(''),
      paragraphs: paragraphs(xml),
      charts: await Promise.all(relations.filter((relation) => relation.type === 'chart').map((relation) => chartOf(zip, relation.target))),
      notes: paragraphs(notesBody),
      links: all(/<a:hlinkClick r:id="(\w+)"/g, xml).map((match) => {
        const relation = relations.find((candidate) => candidate.id === match[1])!;
        return relation.external ? { url: relation.target } : { slide: slideParts.indexOf(relation.target) + 1 };
      }),
      pictures: relations.filter((relation) => relation.type === 'image').length,
      titleFrame: ((match) => (match ? frameOf(match) : undefined))(/<p:sp>(?:(?!<\/p:sp>)[\s\S])*?type="title"(?:(?!<\/p:sp>)[\s\S])*?<a:off x="(-?\d+)" y="(-?\d+)"\/><a:ext cx="(\d+)" cy="(\d+)"\/>/.exec(xml)),
      chartFrames: all(/<p:graphicFrame>[\s\S]*?<a:off x="(\d+)" y="(\d+)"\/><a:ext cx="(\d+)" cy="(\d+)"\/>/g, xml).map(frameOf),
      spacedFrames: all(/<p:sp>(?:(?!<\/p:sp>)[\s\S])*?<a:off x="(\d+)" y="(\d+)"\/><a:ext cx="(\d+)" cy="(\d+)"\/>(?:(?!<\/p:sp>)[\s\S])*? spc="[1-9]/g, xml).map(frameOf),
    });
  }
  // The package: every part typed, no override for a part that is missing, no folder entries, every XML part well-formed.
  const contentTypes = await zip.file('[Content_Types].xml')!.async('string');
  const overrides = all(/<Override PartName="\/([^"]+)"/g, contentTypes).map((match) => match[1]!);
  const defaults = all(/<Default Extension="(\w+)"/g, contentTypes).map((match) => match[1]!.toLowerCase());
  const problems = [
    ...overrides.filter((part) => !files.includes(part)).map((part) => `override for a missing part ${part}`),
    ...files.filter((file) => file !== '[Content_Types].xml' && !overrides.includes(file) && !defaults.includes(file.split('.').pop()!.toLowerCase())).map((file) => `no content type for ${file}`),
    ...Object.keys(zip.files).filter((name) => zip.files[name]!.dir).map((name) => `folder entry ${name}`),
  ];
  for (const file of files.filter((name) => /\.(xml|rels)$/.test(name))) problems.push(...malformed(file, await zip.file(file)!.async('string')));
  return { slides, problems, files, zip };
}
