/** Where a problem sits in a user's file, so an editor can jump to it. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface DataProblem extends SourceLocation {
  message: string;
  /** The field (CSV column or YAML path) the problem concerns. */
  field?: string;
}

/** Exit codes let scripts tell failures apart without parsing messages. */
export const ExitCode = {
  ok: 0,
  generic: 1,
  invalidData: 2,
  falseClaim: 3,
  template: 4,
  browserNotFound: 5,
  browserFailed: 6,
  /** The output directory could not be written (permissions, disk full, another build holding it). */
  output: 7,
  /** The dev server could not listen on the address asked for (port in use, no such interface). */
  listen: 8,
  /** A slide's content reaches beyond its slide (too much text for the layout). */
  overflow: 9,
  usage: 64,
} as const;
export type ExitCodeName = keyof typeof ExitCode;

export class DatadeckError extends Error {
  readonly code: ExitCodeName;
  /**
   * What became of the output directory, when it is not simply "left as it was" (a swap that
   * failed half way). Users must be told the truth about their deck.
   */
  readonly outputState: string | undefined;
  constructor(code: ExitCodeName, message: string, options?: { cause?: unknown; outputState?: string }) {
    super(message, options);
    this.name = 'DatadeckError';
    this.code = code;
    this.outputState = options?.outputState;
  }
  get exitCode(): number {
    return ExitCode[this.code];
  }
}

export function formatLocation(loc: SourceLocation): string {
  let text = loc.file;
  if (loc.line !== undefined) text += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) text += `:${loc.column}`;
  return text;
}

export function formatProblem(problem: DataProblem): string {
  return `${formatLocation(problem)}: ${problem.message}`;
}

/** What a list of problems is, said for its kind: a false claim is not a problem "in the sources". */
function heading(count: number, code: ExitCodeName): string {
  const one = count === 1;
  switch (code) {
    case 'falseClaim':
      return `${count} claim${one ? ' is' : 's are'} false:`;
    case 'overflow':
      return `${count} slide${one ? ' does' : 's do'} not fit:`;
    case 'template':
      return `${count} problem${one ? '' : 's'} in the templates:`;
    case 'invalidData':
      return `${count} problem${one ? '' : 's'} in the deck's data:`;
    default:
      return `${count} problem${one ? '' : 's'}:`;
  }
}

/** Every problem found in one pass, reported together rather than one per run. */
export class DataErrors extends DatadeckError {
  readonly problems: readonly DataProblem[];
  constructor(problems: readonly DataProblem[], code: ExitCodeName = 'invalidData') {
    super(code, `${heading(problems.length, code)}\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'DataErrors';
    this.problems = problems;
  }
}

/** Collects problems across loaders so that all of them surface in one run. */
export class ProblemList {
  readonly problems: DataProblem[] = [];
  add(problem: DataProblem): void {
    this.problems.push(problem);
  }
  get isEmpty(): boolean {
    return this.problems.length === 0;
  }
  throwIfAny(code: ExitCodeName = 'invalidData'): void {
    if (!this.isEmpty) throw new DataErrors(this.problems, code);
  }
}
