/**
 * Characters no text may hold: noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF and the last two of
 * every plane), lone halves of a surrogate pair, and control characters other than tab and line
 * breaks. XML forbids them, so one in a label makes every XML part of deck.pptx that shows it
 * unreadable; in HTML and PDF they are boxes or nothing. YAML escapes ("\uFFFF", "\x07") can
 * write them into a file that is otherwise clean, so values are checked, not only bytes.
 */
const forbidden = /[\p{Noncharacter_Code_Point}\p{Cs}\u0000-\u0008\u000b\u000c\u000e-\u001f]/u;

export interface BadCharacter {
  /** Index of the character in the text checked. */
  index: number;
  /** The character, as the code point a user can search for: "U+FFFF". */
  code: string;
  /** What it is and what to do, to follow "holds U+FFFF, ". */
  description: string;
}

export function findBadCharacter(text: string): BadCharacter | undefined {
  const match = forbidden.exec(text);
  if (!match) return undefined;
  const codePoint = match[0].codePointAt(0)!;
  const code = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const description = codePoint >= 0xd800 && codePoint <= 0xdfff
    ? 'half of a surrogate pair without its other half (no character at all)'
    : codePoint < 0x20
      ? 'a control character, which has no place in text'
      : 'a noncharacter (a code point Unicode keeps out of text)';
  return { index: match.index, code, description };
}

/** The problem's wording, the same in every file: "holds U+FFFF, a noncharacter ...; remove it". */
export function badCharacterMessage(bad: BadCharacter): string {
  return `holds ${bad.code}, ${bad.description}; remove it`;
}
