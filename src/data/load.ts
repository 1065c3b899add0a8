import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProblemList } from '../errors.js';
import { parseFactsCsv, type LocatedFact } from './csv.js';
import { decodeDataFile } from './decode.js';
import { chartsSchema, deckSchema, derivedSchema, type ChartSource, type DeckSource, type DerivedSource } from './schema.js';
import { parseYamlFile, validateYaml, type YamlFile } from './yaml.js';

export const dataFiles = {
  facts: 'facts.csv',
  derived: 'derived.yaml',
  charts: 'charts.yaml',
  deck: 'deck.yaml',
} as const;

/** The data directory, parsed and checked against the schema, each part able to locate its lines. */
export interface LoadedData {
  facts: LocatedFact[];
  factsFile: string;
  derived: DerivedSource[];
  derivedFile: YamlFile;
  charts: Record<string, ChartSource>;
  chartsFile: YamlFile;
  deck: DeckSource;
  deckFile: YamlFile;
  notices: string[];
}

async function readSource(dir: string, name: string, problems: ProblemList, displayDir: string, notices: string[]): Promise<{ text: string; file: string } | undefined> {
  const file = path.join(displayDir, name);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.join(dir, name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.add({ file, message: code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})` });
    return undefined;
  }
  const decoded = decodeDataFile(bytes, file, problems);
  if (!decoded) return undefined;
  if (decoded.notice) notices.push(decoded.notice);
  return { text: decoded.text, file };
}

/**
 * Reads every data file, collecting all problems before failing so a user fixes them in one pass.
 * `displayDir` is how paths are shown in messages (relative to where the user stands).
 */
export async function loadData(dir: string, problems: ProblemList, displayDir = dir): Promise<LoadedData | undefined> {
  const notices: string[] = [];
  const [factsText, derivedText, chartsText, deckText] = await Promise.all(
    [dataFiles.facts, dataFiles.derived, dataFiles.charts, dataFiles.deck].map((name) => readSource(dir, name, problems, displayDir, notices)),
  );
  const parsedFacts = factsText ? parseFactsCsv(factsText.text, factsText.file, problems) : undefined;
  const derivedFile = derivedText && parseYamlFile(derivedText.text, derivedText.file, problems);
  const chartsFile = chartsText && parseYamlFile(chartsText.text, chartsText.file, problems);
  const deckFile = deckText ? parseYamlFile(deckText.text, deckText.file, problems) : undefined;

  const derived = derivedFile && validateYaml(derivedFile, derivedSchema.nullable().transform((v) => v ?? []), problems);
  const charts = chartsFile && validateYaml(chartsFile, chartsSchema.nullable().transform((v) => v ?? {}), problems);
  const deck = deckFile && validateYaml(deckFile, deckSchema, problems);

  if (!factsText || !parsedFacts || !derivedFile || !chartsFile || !deckFile || !derived || !charts || !deck || !problems.isEmpty) return undefined;
  return {
    facts: parsedFacts.facts,
    factsFile: factsText.file,
    derived,
    derivedFile,
    charts,
    chartsFile,
    deck,
    deckFile,
    notices: [...notices, ...parsedFacts.notices],
  };
}
