import type { Color } from 'culori';
// culori's bundled build: one file, loaded in half the time of its hundreds of ES modules.
import culori from 'culori/require';

const { clampChroma, converter, formatHex, parse, wcagContrast } = culori;
import type { DataProblem, ProblemList, SourceLocation } from '../errors.js';
import { defaultRole, type ThemeSource } from '../data/schema.js';
import type { YamlFile } from '../data/yaml.js';

/**
 * WCAG 2.1 AA (success criterion 1.4.3): 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px
 * bold). What each colour of the theme writes decides which applies: see checkThemeContrast.
 */
const largeText = 3;
const smallText = 4.5;

/** A stylesheet the build uses, as read and as messages name it. */
export interface Stylesheet {
  text: string;
  display: string;
}

interface Declaration {
  value: string;
  location: SourceLocation;
}

/** The last declaration of each custom property of a stylesheet (the one that wins in a flat theme), with its line. */
function customProperties(sheet: Stylesheet): Map<string, Declaration> {
  // Comments blanked out, keeping their line breaks, so that lines still count.
  const css = sheet.text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const found = new Map<string, Declaration>();
  for (const match of css.matchAll(/(--[\w-]+)\s*:\s*([^;{}]*)/g)) {
    const line = css.slice(0, match.index).split('\n').length;
    found.set(match[1]!, { value: match[2]!.replace(/!important/i, '').trim(), location: { file: sheet.display, line } });
  }
  return found;
}

const toRgb = converter('rgb');

/** A CSS colour as the page paints it: var() followed, and a translucent one laid over what is under it. */
function readColour(value: string, properties: ReadonlyMap<string, Declaration>, under?: Color, depth = 0): Color | undefined {
  const reference = /^var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)$/.exec(value.trim());
  if (reference) {
    const next = properties.get(reference[1]!)?.value ?? reference[2];
    return next === undefined || depth > 8 ? undefined : readColour(next, properties, under, depth + 1);
  }
  const colour = toRgb(parse(value));
  if (!colour) return undefined;
  const alpha = colour.alpha ?? 1;
  if (alpha >= 1) return { ...colour, alpha: 1 };
  const base = toRgb(under ?? parse('white')!);
  const mix = (top: number, bottom: number): number => top * alpha + bottom * (1 - alpha);
  return { mode: 'rgb', r: mix(colour.r, base.r), g: mix(colour.g, base.g), b: mix(colour.b, base.b), alpha: 1 };
}

/** A background a colour is written on, and the contrast the text written there needs. */
interface Ground {
  name: string;
  colour: Color;
  ratio: number;
  /** What is written there in this colour, for the message. */
  writes: string;
}

const ratioText = (ratio: number): string => `${(Math.floor(ratio * 100) / 100).toFixed(2).replace(/\.?0+$/, '')}:1`;

/**
 * The closest shade of a colour (same hue, chroma kept inside sRGB) that reaches the contrast
 * each ground asks for: darker on a light paper, lighter on a dark one.
 */
function passingShade(colour: Color, grounds: readonly Ground[]): string | undefined {
  const passes = (hex: string): boolean => grounds.every((ground) => wcagContrast(hex, ground.colour) >= ground.ratio);
  const start = converter('oklch')(colour);
  const darker = wcagContrast('black', grounds[0]!.colour) >= wcagContrast('white', grounds[0]!.colour);
  for (let step = 0; step <= 500; step += 1) {
    const l = darker ? start.l - step * 0.002 : start.l + step * 0.002;
    if (l < 0 || l > 1) break;
    const hex = formatHex(clampChroma({ ...start, l }, 'oklch'));
    if (passes(hex)) return hex;
  }
  return undefined;
}

/** One colour of the theme that writes text, where it is set and how to write a fix. */
interface TextColour {
  field: string;
  value: string;
  location: SourceLocation;
  grounds: readonly Ground[];
  /** The fix as it would be written, given a passing shade. */
  fix(hex: string): string;
}

function contrastProblem(item: TextColour, properties: ReadonlyMap<string, Declaration>): DataProblem | undefined {
  const colour = readColour(item.value, properties, item.grounds[0]?.colour);
  if (!colour) return undefined;
  const failures = item.grounds
    .map((ground) => ({ ground, ratio: wcagContrast(colour, ground.colour) }))
    .filter(({ ground, ratio }) => ratio < ground.ratio);
  if (failures.length === 0) return undefined;
  const said = failures
    .map(({ ground, ratio }) => `on ${ground.name} (${formatHex(ground.colour)}) it has a contrast of ${ratioText(ratio)}, below the ${ratioText(ground.ratio)} WCAG AA asks of ${ground.writes}`)
    .join('; ');
  const shade = passingShade(colour, item.grounds);
  const fix = shade ? `a shade of the same hue that passes: ${item.fix(shade)}` : 'no shade of its hue passes: choose another colour';
  return { ...item.location, field: item.field, message: `${item.field}: ${item.value} is too faint to read: ${said}; ${fix}` };
}

export interface ThemeContrastInput {
  theme: ThemeSource;
  /** data/theme.yaml, when the deck has one: where each of its colours is written. */
  themeYaml: YamlFile | undefined;
  /** The theme stylesheet the build uses (its --paper, and the colours theme.yaml leaves to it). */
  stylesheet: Stylesheet;
  /** The handout's stylesheet (its page colour, --sheet). */
  handoutStylesheet: Stylesheet | undefined;
}

/**
 * Every colour of the theme that writes text, held to WCAG AA against what it is written on, so
 * that a deck stays one anyone can read. The slide's paper is the stylesheet's --paper. A role's
 * figure colour (its `text`, else its colour) writes the comparison columns' figures, 76 px bold
 * and more: large text, 3:1. The accent writes kickers (22 px bold), section titles and the big
 * number on slides: large text, 3:1; and the handout cover's 9 pt kicker, on the handout's page
 * (--sheet): 4.5:1. Bars and column rules are not text: each bar's figure is written beside it,
 * so no reader depends on telling the bar from the paper (WCAG 1.4.11 asks nothing of them).
 * Returns warnings when a background cannot be read.
 */
export function checkThemeContrast(input: ThemeContrastInput, problems: ProblemList): string[] {
  const properties = customProperties(input.stylesheet);
  const paperDeclaration = properties.get('--paper');
  const paper = paperDeclaration && readColour(paperDeclaration.value, properties);
  if (!paper) {
    const where = paperDeclaration ? `its --paper (${paperDeclaration.value}, ${paperDeclaration.location.file}:${paperDeclaration.location.line}) is not a colour datadeck can read` : `${input.stylesheet.display} declares no --paper`;
    return [`the contrast of the deck's colours is not checked: ${where}`];
  }
  const slides: Ground = { name: "the slides' paper", colour: paper, ratio: largeText, writes: 'large text' };
  // The handout loads its stylesheet after the theme's: it may use the theme's properties.
  const handoutProperties = new Map([...properties, ...(input.handoutStylesheet ? customProperties(input.handoutStylesheet) : [])]);
  const sheetDeclaration = input.handoutStylesheet && handoutProperties.get('--sheet');
  const sheet = sheetDeclaration && readColour(sheetDeclaration.value, handoutProperties);
  const handout: Ground[] = sheet ? [{ name: "the handout's page", colour: sheet, ratio: smallText, writes: 'text (its cover\'s 9 pt kicker)' }] : [];

  const yaml = input.themeYaml;
  const colours: TextColour[] = [];
  const accentInCss = properties.get('--accent');
  const accent = input.theme.accent ?? accentInCss?.value;
  if (accent !== undefined) {
    colours.push({
      field: input.theme.accent ? 'accent' : '--accent',
      value: accent,
      location: input.theme.accent ? (yaml?.locate(['accent']) ?? { file: 'theme.yaml' }) : accentInCss!.location,
      grounds: [{ ...slides, writes: 'large text (kickers, section titles, the big number)' }, ...handout],
      fix: (hex) => `accent: '${hex}'${input.theme.accent ? '' : ' in data/theme.yaml'}`,
    });
  }
  const figures = { ...slides, writes: "large text (the comparison columns' figures)" };
  for (const [role, { colour, text }] of Object.entries(input.theme.roles)) {
    colours.push({
      field: text ? `roles.${role}.text` : `roles.${role}`,
      value: text ?? colour,
      location: yaml?.locate(text ? ['roles', role, 'text'] : ['roles', role]) ?? { file: 'theme.yaml' },
      grounds: [figures],
      fix: (hex) => `${role}: { colour: '${colour}', text: '${hex}' }`,
    });
  }
  const neutralInCss = properties.get('--role-neutral-text') ?? properties.get('--role-neutral');
  if (!(defaultRole in input.theme.roles) && neutralInCss) {
    const bars = properties.get('--role-neutral')?.value ?? neutralInCss.value;
    colours.push({ field: '--role-neutral-text', value: neutralInCss.value, location: neutralInCss.location, grounds: [figures], fix: (hex) => `${defaultRole}: { colour: '${bars}', text: '${hex}' } in data/theme.yaml` });
  }
  for (const item of colours) {
    const problem = contrastProblem(item, properties);
    if (problem) problems.add(problem);
  }
  return [];
}
