import iconv from 'iconv-lite';
import type { ProblemList } from '../errors.js';

export interface DecodedText {
  text: string;
  /** How the bytes were read, when that is not plain UTF-8. */
  notice: string | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Not TextDecoder('windows-1252'): Node decodes that label as Latin-1 (’ and € come out as C1 controls).
const windows1252 = (bytes: Uint8Array): string => iconv.decode(Buffer.from(bytes), 'win1252');

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/**
 * Data files are text. UTF-8 is read as it is; anything else is either read as Windows-1252 (what
 * many French Excel versions save as "CSV (séparateur: point-virgule)") with a notice, or refused
 * at its first bad line. Text is never garbled silently into U+FFFD, and control characters (a
 * NUL from a binary file or a bad export) never reach the deck.
 */
export function decodeDataFile(bytes: Uint8Array, file: string, problems: ProblemList): DecodedText | undefined {
  let text: string;
  let notice: string | undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes);
    notice = `${file}: read as UTF-16 (Excel's "Unicode text")`;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes);
    notice = `${file}: read as UTF-16`;
  } else {
    try {
      text = utf8.decode(bytes);
    } catch {
      const lenient = new TextDecoder('utf-8').decode(bytes);
      const firstBad = lineAndColumn(lenient, lenient.indexOf('\uFFFD'));
      // Valid multi-byte characters beside the bad bytes: a UTF-8 file with damage, not another encoding.
      if (/[^\u0000-\u007f\uFFFD]/.test(lenient)) {
        problems.add({ file, ...firstBad, message: 'is not valid UTF-8 from here (bytes that are no character in an otherwise UTF-8 file); re-save it as UTF-8' });
        return undefined;
      }
      text = windows1252(bytes);
      // Bytes Windows-1252 leaves undefined (0x81, 0x8D...) decode to U+FFFD: then it is not that either.
      const undefinedByte = /[\uFFFD\u0080-\u009f]/.exec(text);
      if (undefinedByte) {
        const at = lineAndColumn(text, undefinedByte.index);
        problems.add({ file, line: at.line, column: at.column, message: 'is neither UTF-8 nor Windows-1252 text (is it a binary file?); save it as UTF-8' });
        return undefined;
      }
      notice = `${file}: not UTF-8 (from line ${firstBad.line}); read as Windows-1252, as older French Excel saves CSV. Save it as "CSV UTF-8" to silence this.`;
    }
  }
  const controls = [...text.matchAll(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g)];
  if (controls.length > 0) {
    const seenLines = new Set<number>();
    for (const match of controls) {
      const at = lineAndColumn(text, match.index);
      if (seenLines.has(at.line)) continue;
      seenLines.add(at.line);
      const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      problems.add({ file, line: at.line, column: at.column, message: `holds the control character U+${code}${code === '0000' ? ' (NUL)' : ''}, which has no place in text; remove it` });
      if (seenLines.size >= 5) break;
    }
    return undefined;
  }
  return { text, notice };
}
