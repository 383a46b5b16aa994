/**
 * The terminal table, laid out in time linear in its text. Each cell shows at most
 * MAX_CELL_CHARACTERS characters (the rest cut and marked with an ellipsis; the json, csv and html
 * formats keep the full text), wrapped at spaces into lines of its column's width (a word longer
 * than the width is broken). Widths are terminal columns: East Asian wide characters and emoji
 * take two. (The table library this replaces spent time quadratic in a cell's length: minutes for
 * a few dozen servers with tags at AWS's 256-character limit.)
 */

/** The most characters of a finding's text a table cell shows. */
export const MAX_CELL_CHARACTERS = 1000;

export const ELLIPSIS = '…';

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Terminal columns of one code point: 2 for East Asian wide and full-width characters and emoji, 0 for combining marks. */
function columnsOf(codePoint: number): number {
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || codePoint === 0x200d || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Terminal columns `text` takes (colour codes take none). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text.includes('\u001b') ? text.replace(SGR, '') : text) width += columnsOf(char.codePointAt(0)!);
  return width;
}

/** `text` cut to `max` characters, the last one an ellipsis when anything was cut. */
export function truncateCell(text: string, max = MAX_CELL_CHARACTERS): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in two.
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/** A word as pieces of at most `width` columns. */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let pieceWidth = 0;
  for (const char of word) {
    const w = columnsOf(char.codePointAt(0)!);
    if (pieceWidth + w > width && piece) {
      pieces.push(piece);
      piece = '';
      pieceWidth = 0;
    }
    piece += char;
    pieceWidth += w;
  }
  pieces.push(piece);
  return pieces;
}

/** `text` (truncated) as lines of exactly `width` columns (padded with spaces), broken at spaces where it can be. */
export function wrapCell(text: string, width: number, max = MAX_CELL_CHARACTERS): string[] {
  const lines: string[] = [];
  const push = (line: string, lineWidth: number) => lines.push(line + ' '.repeat(Math.max(0, width - lineWidth)));
  for (const paragraph of truncateCell(text, max).split('\n')) {
    const plain = PRINTABLE_ASCII.test(paragraph);
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(' ')) {
      const wordWidth = plain ? word.length : displayWidth(word);
      if (line && lineWidth + 1 + wordWidth <= width) {
        line += ` ${word}`;
        lineWidth += 1 + wordWidth;
        continue;
      }
      if (line) push(line, lineWidth);
      if (wordWidth <= width) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      const pieces = breakWord(word, width);
      for (const piece of pieces.slice(0, -1)) push(piece, displayWidth(piece));
      line = pieces[pieces.length - 1]!;
      lineWidth = displayWidth(line);
    }
    push(line, lineWidth);
  }
  return lines;
}

/** A short cell (colour codes allowed) padded to `width` columns. */
export function padCell(text: string, width: number): string[] {
  return [text + ' '.repeat(Math.max(0, width - displayWidth(text)))];
}

/** A cell already laid out: its lines, each exactly its column's width less the padding. */
export type CellLines = readonly string[];

/** Draws the grid: a bordered table, one column of padding each side of a cell, a rule between rows. */
export function drawTable(head: CellLines[], rows: readonly CellLines[][], widths: readonly number[]): string {
  const rule = (left: string, cross: string, right: string) => left + widths.map((w) => '─'.repeat(w)).join(cross) + right;
  const blank = widths.map((w) => ' '.repeat(Math.max(0, w - 2)));
  const between = rule('├', '┼', '┤');
  const out: string[] = [rule('┌', '┬', '┐')];
  const drawRow = (cells: CellLines[]) => {
    let height = 1;
    for (const cell of cells) height = Math.max(height, cell.length);
    for (let i = 0; i < height; i++) {
      const parts = ['│'];
      for (let column = 0; column < cells.length; column++) parts.push(` ${cells[column]![i] ?? blank[column]} │`);
      out.push(parts.join(''));
    }
  };
  drawRow(head);
  for (const row of rows) {
    out.push(between);
    drawRow(row);
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
