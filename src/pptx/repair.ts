import JSZip from 'jszip';
import type { EmbeddedFamily, FontSlot } from './fonts.js';

/** What pptxgenjs cannot write into one chart, by series in the chart's order (its own, then its totals and reference lines). */
export interface ChartPatch {
  /** Each point's label as the slide writes it ("13,7 Md$" whatever the viewer's locale), or null where it has none. */
  labels: readonly (readonly (string | null)[])[];
  /** Each point's fill where it is not its series' (a muted category; on a line, the highlighted point's bigger marker); empty for none. */
  fills: readonly (readonly (string | null)[])[];
  /** Where each series' labels sit (outEnd, ctr, inBase, t), or null where the chart type has no such setting (areas, doughnuts). */
  positions: readonly (string | null)[];
  /** Series drawn but not listed in the legend (the totals' carrier, reference lines). */
  unlisted: readonly number[];
}

export interface RepairOptions {
  /** For each chart, in order (chart1.xml, chart2.xml...), what pptxgenjs could not write. */
  charts: readonly ChartPatch[];
  /** For each slide, in order, where its title placeholder sits, in EMU (the layout's own place otherwise). */
  titleBoxes: readonly ({ x: number; y: number; w: number; h: number } | undefined)[];
  /** BCP 47 language of the text (fr-FR). */
  lang: string;
  hyperlinkColor: string;
  serifFont: string;
  /** The theme's fonts to carry in the file, each face as a .fntdata part. */
  fonts: readonly EmbeddedFamily[];
}

/** A line's highlighted point: its marker, in points (the others' are 7). */
const highlightMarkerSize = 12;

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One series patched: each point's own label (a <c:dLbl> with the slide's text, styled like the
 * series' labels, or deleted where the slide writes none), the series' label position, and a
 * <c:dPt> for each point with a fill of its own.
 */
function patchSeries(series: string, line: boolean, labels: readonly (string | null)[], fills: readonly (string | null)[], position: string | null, lang: string): string {
  const where = position ? `<c:dLblPos val="${position}"/>` : '';
  let xml = series.replace(/(<c:dLbls>(?:(?!<\/c:dLbls>)[\s\S])*?)(?:<c:dLblPos val="[^"]+"\/>)?(<c:showLegendKey)/, (_whole, before: string, next: string) => `${before}${where}${next}`);
  const fill = (colour: string): string => `<c:spPr><a:solidFill><a:srgbClr val="${colour}"/></a:solidFill></c:spPr>`;
  // On a line, a point of its own is a bigger marker (the highlighted period).
  const points = fills.flatMap((colour, index) => (colour === null ? [] : [line
    ? `<c:dPt><c:idx val="${index}"/><c:marker><c:symbol val="circle"/><c:size val="${highlightMarkerSize}"/>${fill(colour)}</c:marker><c:bubble3D val="0"/></c:dPt>`
    : `<c:dPt><c:idx val="${index}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>${fill(colour)}</c:dPt>`]));
  if (points.length > 0) xml = xml.replace(/<c:dLbls>/, (next) => points.join('') + next);
  const dLbls = /<c:dLbls>([\s\S]*?)<\/c:dLbls>/.exec(xml);
  if (!dLbls || labels.length === 0) return xml;
  const defaults = /<a:defRPr[\s\S]*?<\/a:defRPr>/.exec(dLbls[1]!)?.[0] ?? '<a:defRPr/>';
  const runProps = defaults.replace(/^<a:defRPr/, `<a:rPr lang="${lang}"`).replace(/<\/a:defRPr>$/, '</a:rPr>');
  // (A doughnut comes with a label per part already: ours replace them.)
  xml = xml.replace(/(<c:dLbls>)([\s\S]*?)(<\/c:dLbls>)/, (_whole, open: string, inner: string, close: string) => open + inner.replace(/<c:dLbl>[\s\S]*?<\/c:dLbl>/g, '') + close);
  const perPoint = labels
    .map((text, index) => (text === null
      ? `<c:dLbl><c:idx val="${index}"/><c:delete val="1"/></c:dLbl>`
      : `<c:dLbl><c:idx val="${index}"/><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>${runProps}<a:t>${escapeXml(text)}</a:t></a:r></a:p></c:rich></c:tx>${where}<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbl>`))
    .join('');
  // A function replacer: a label such as "$13.7B" must not be read as a "$1" back-reference.
  return xml.replace(/<c:dLbls>/, (opening) => opening + perPoint);
}

/** Every series of a chart patched, in order, and the series the legend leaves out. */
function patchChart(xml: string, patch: ChartPatch, lang: string): string {
  let index = 0;
  const patched = xml.replace(/<c:(\w+Chart)>[\s\S]*?<\/c:\1>/g, (chart, type: string) => chart.replace(/<c:ser>[\s\S]*?<\/c:ser>/g, (series) => {
    const at = index++;
    return patchSeries(series, type === 'lineChart', patch.labels[at] ?? [], patch.fills[at] ?? [], patch.positions[at] ?? null, lang);
  }));
  const unlisted = patch.unlisted.map((series) => `<c:legendEntry><c:idx val="${series}"/><c:delete val="1"/></c:legendEntry>`).join('');
  return unlisted ? patched.replace(/(<c:legend><c:legendPos val="[^"]+"\/>)/, (opening) => opening + unlisted) : patched;
}

/**
 * What pptxgenjs 4.0.1 writes against the chart schema, which PowerPoint answers with a repair
 * prompt: a third axis id in a 2-D bar, line or area chart that names no axis (gitbrent/PptxGenJS#1534;
 * LibreOffice draws a second value axis for it), and
 * each bar's colour after the series' labels where the schema wants it before.
 */
function chartInSchemaOrder(xml: string): string {
  const axes = new Set([...xml.matchAll(/<c:(?:catAx|valAx|dateAx|serAx)>\s*<c:axId val="(\d+)"\/>/g)].map((match) => match[1]!));
  return xml
    .replace(/<c:(barChart|lineChart|areaChart)>[\s\S]*?<\/c:\1>/g, (chart) => chart.replace(/<c:axId val="(\d+)"\/>/g, (axis, id: string) => (axes.has(id) ? axis : '')))
    .replace(/<c:ser>[\s\S]*?<\/c:ser>/g, (series) => {
      const points = series.match(/<c:dPt>[\s\S]*?<\/c:dPt>/g) ?? [];
      const moved = points.reduce((text, point) => text.replace(point, ''), series);
      return moved.replace(/<c:(?:dLbls|trendline|errBars|cat|val)>/, (next) => points.join('') + next);
    })
    // A line's series has its marker before its labels, and no line, area or doughnut series has invertIfNegative.
    .replace(/<c:(lineChart|areaChart|doughnutChart)>[\s\S]*?<\/c:\1>/g, (chart) => chart.replace(/<c:ser>[\s\S]*?<\/c:ser>/g, (series) => {
      const marker = /<c:marker>[\s\S]*?<\/c:marker>/.exec(series)?.[0] ?? '';
      return series.replace(marker, '').replace(/(<\/c:spPr>\s*)<c:invertIfNegative val="0"\/>/, '$1').replace(/(<c:ser>[\s\S]*?<\/c:spPr>)/, (head) => head + marker);
    }));
}

async function repairWorkbook(bytes: Uint8Array): Promise<Uint8Array> {
  const workbook = await JSZip.loadAsync(bytes);
  for (const name of Object.keys(workbook.files).filter((file) => /^xl\/tables\/table\d+\.xml$/.test(file))) {
    const xml = await workbook.file(name)!.async('string');
    workbook.file(name, xml.replace(/ref="([A-Z]+\d+:[A-Z]+\d+)'"/, 'ref="$1"'));
  }
  return workbook.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const fontSlots: readonly FontSlot[] = ['regular', 'bold', 'italic', 'boldItalic'];

/**
 * The theme's fonts in the package, as PowerPoint writes them when it embeds fonts: one
 * ppt/fonts/fontN.fntdata part per face, typed application/x-fontdata, related to the
 * presentation, and listed in its embeddedFontLst (after notesSz, where the schema puts it), each
 * family with its faces in the order regular, bold, italic, bold italic. All characters are
 * embedded, so the deck stays editable; PowerPoint's "embed only the characters used" is off.
 */
async function embedFonts(source: JSZip, repaired: JSZip, fonts: readonly EmbeddedFamily[]): Promise<Map<string, string>> {
  const edited = new Map<string, string>();
  if (fonts.length === 0) return edited;
  const relsName = 'ppt/_rels/presentation.xml.rels';
  let rels = await source.file(relsName)!.async('string');
  let next = Math.max(0, ...[...rels.matchAll(/Id="rId(\d+)"/g)].map((match) => Number(match[1]))) + 1;
  let part = 0;
  const entries = fonts.map((family) => {
    const slots = fontSlots.filter((slot) => family.faces[slot]).map((slot) => {
      const id = `rId${next++}`;
      part += 1;
      repaired.file(`ppt/fonts/font${part}.fntdata`, family.faces[slot]!, { createFolders: false });
      rels = rels.replace('</Relationships>', `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" Target="fonts/font${part}.fntdata"/></Relationships>`);
      return `<p:${slot} r:id="${id}"/>`;
    });
    return `<p:embeddedFont><p:font typeface="${escapeXml(family.typeface).replace(/"/g, '&quot;')}" pitchFamily="${family.pitchFamily}" charset="0"/>${slots.join('')}</p:embeddedFont>`;
  });
  edited.set(relsName, rels);
  const presentation = (await source.file('ppt/presentation.xml')!.async('string'))
    .replace(/ saveSubsetFonts="1"/, '')
    .replace('<p:presentation ', '<p:presentation embedTrueTypeFonts="1" ')
    .replace(/(<p:notesSz [^>]*\/>)/, `$1<p:embeddedFontLst>${entries.join('')}</p:embeddedFontLst>`);
  edited.set('ppt/presentation.xml', presentation);
  const types = await source.file('[Content_Types].xml')!.async('string');
  edited.set('[Content_Types].xml', types.includes('Extension="fntdata"') ? types : types.replace(/(<Types [^>]*>)/, '$1<Default Extension="fntdata" ContentType="application/x-fontdata"/>'));
  return edited;
}

/**
 * One pass over what pptxgenjs 4.0.1 wrote: what it cannot express (a label text per bar, a title
 * placeholder where this slide's title really is), and its known defects that make PowerPoint
 * offer to repair a file or LibreOffice drop a list's numbers: overrides for parts that do not
 * exist, a paragraph property before every run, a background without its effect list, shapes
 * without a text body, a workbook table reference with a stray apostrophe, folder entries, notes
 * in one run with line breaks inside and tagged English, the hyperlink colour, font hints; and
 * the theme's fonts, embedded.
 */
export async function repairPptx(bytes: Uint8Array, options: RepairOptions): Promise<Uint8Array> {
  const source = await JSZip.loadAsync(bytes);
  const repaired = new JSZip();
  const names = Object.keys(source.files).filter((name) => !source.files[name]!.dir);
  const present = new Set(names);
  const charts = names.filter((name) => /^ppt\/charts\/chart\d+\.xml$/.test(name)).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  const { lang } = options;
  const fontParts = await embedFonts(source, repaired, options.fonts);
  for (const name of names) {
    const file = source.files[name]!;
    if (/^ppt\/embeddings\/.*\.xlsx$/.test(name)) {
      repaired.file(name, await repairWorkbook(await file.async('uint8array')), { createFolders: false });
      continue;
    }
    if (!/\.(xml|rels)$/.test(name)) {
      repaired.file(name, await file.async('uint8array'), { createFolders: false });
      continue;
    }
    let xml = fontParts.get(name) ?? (await file.async('string'));
    if (name === '[Content_Types].xml') {
      xml = xml.replace(/<Override PartName="([^"]+)"[^>]*\/>/g, (override, part: string) => (present.has(part.slice(1)) ? override : ''));
    }
    if (/^ppt\/(slides|slideLayouts|slideMasters|notesSlides|notesMasters)\/[^/]+\.xml$/.test(name)) {
      xml = xml.replace(/<a:p>([\s\S]*?)<\/a:p>/g, (_paragraph, inner: string) => {
        let seen = false;
        return `<a:p>${inner.replace(/<a:pPr\b[^>]*?(?:\/>|>[\s\S]*?<\/a:pPr>)/g, (properties) => (seen ? '' : ((seen = true), properties)))}</a:p>`;
      });
      xml = xml
        .replace(/<a:(ea|cs) typeface="\+(mj|mn)-lt"[^>]*\/>/g, (_font, slot: string, kind: string) => `<a:${slot} typeface="+${kind}-${slot}"/>`)
        .replace(/<a:latin typeface="\+(mj|mn)-lt"[^>]*\/>/g, (_font, kind: string) => `<a:latin typeface="+${kind}-lt"${kind === 'mj' ? ' pitchFamily="18"' : ' pitchFamily="34"'}/>`)
        // A list's numbers in the font of its text (pptxgenjs sets the headings' font).
        .replaceAll('<a:buFont typeface="+mj-lt"/>', '<a:buFontTx/>')
        .replaceAll(`typeface="${options.serifFont}" pitchFamily="34"`, `typeface="${options.serifFont}" pitchFamily="18"`)
        .replace(/(<p:bgPr>(?:(?!<\/p:bgPr>)[\s\S])*?)(<\/p:bgPr>)/g, (whole, body: string, end: string) => (body.includes('<a:effectLst') ? whole : `${body}<a:effectLst/>${end}`));
    }
    const slideNumber = /^ppt\/slides\/slide(\d+)\.xml$/.exec(name);
    if (slideNumber) {
      // (A notes page's slide image placeholder legitimately has no text body.)
      xml = xml.replace(/<p:sp>((?:(?!<\/p:sp>)[\s\S])*?)<\/p:sp>/g, (whole, body: string) =>
        body.includes('<p:txBody>') ? whole : `<p:sp>${body}<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="${lang}"/></a:p></p:txBody></p:sp>`);
      // The deck fades from slide to slide (reveal.js's transition in src/client/deck.ts): so does the file.
      if (!xml.includes('<p:transition')) xml = xml.replace('</p:clrMapOvr>', '</p:clrMapOvr><p:transition spd="med"><p:fade/></p:transition>');
      const box = options.titleBoxes[Number(slideNumber[1]) - 1];
      if (box) {
        xml = xml.replace(/(<p:sp><p:nvSpPr>(?:(?!<\/p:sp>)[\s\S])*?type="title"(?:(?!<\/p:sp>)[\s\S])*?)<a:xfrm>[\s\S]*?<\/a:xfrm>((?:(?!<\/p:sp>)[\s\S])*?)<a:bodyPr([^>]*)>/, (_whole, before: string, between: string, attributes: string) =>
          `${before}<a:xfrm><a:off x="${Math.round(box.x)}" y="${Math.round(box.y)}"/><a:ext cx="${Math.round(box.w)}" cy="${Math.round(box.h)}"/></a:xfrm>${between}<a:bodyPr${attributes.replace(/ [lrtb]Ins="[^"]*"/g, '')} lIns="0" tIns="0" rIns="0" bIns="0">`);
      }
    }
    if (/^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(name)) {
      xml = xml.replace(/<a:p><a:r><a:rPr lang="[^"]*" dirty="0"\/><a:t>([^<]*)<\/a:t><\/a:r><a:endParaRPr lang="[^"]*" dirty="0"\/><\/a:p>/, (_whole, text: string) =>
        text.split(/\r?\n/).map((line) => (line ? `<a:p><a:r><a:rPr lang="${lang}" dirty="0"/><a:t>${line}</a:t></a:r></a:p>` : `<a:p><a:endParaRPr lang="${lang}" dirty="0"/></a:p>`)).join(''));
    }
    if (name === 'ppt/theme/theme1.xml') {
      // OOXML has no list of fallback fonts; what it has is the font's class, which PowerPoint uses
      // to pick a stand-in when the font is missing: roman (serif) for headings, swiss (sans) for text.
      xml = xml
        .replace(/<a:hlink>[\s\S]*?<\/a:hlink>/, `<a:hlink><a:srgbClr val="${options.hyperlinkColor}"/></a:hlink>`)
        .replace(/(<a:majorFont><a:latin typeface="[^"]*")\/>/, '$1 pitchFamily="18" charset="0"/>')
        .replace(/(<a:minorFont><a:latin typeface="[^"]*")\/>/, '$1 pitchFamily="34" charset="0"/>');
    }
    const chartIndex = charts.indexOf(name);
    if (chartIndex >= 0) {
      xml = chartInSchemaOrder(xml);
      if (options.charts[chartIndex]) xml = patchChart(xml, options.charts[chartIndex]!, lang);
    }
    repaired.file(name, xml, { createFolders: false });
  }
  return repaired.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
