/**
 * Escaping for every report format. Tag values (Name, Environment, cluster) and anything derived
 * from them are attacker-controlled: whoever can tag an EC2 instance writes into our reports.
 *
 * Strategy, by output:
 * - HTML: `escapeHtml` turns & < > " ' into entities; used for text and for (always double-quoted)
 *   attribute values. The report also carries a Content-Security-Policy that forbids scripts, as a
 *   second line of defence.
 * - Markdown: `escapeMarkdown` is for inline use (table cells, list items): line breaks collapse to a
 *   space, & < > become entities (so no inline HTML and no `<url>` autolinks), and every character
 *   with a Markdown meaning (\ ` * _ { } [ ] ( ) # + ! | ~) gets a backslash, which also keeps `|`
 *   from splitting a table cell. `://` and `www.` are broken up so GFM does not auto-link them, and a
 *   leading `-`, `=` or `1.` cannot start a list or heading.
 * - CSV: `csvCell` quotes per RFC 4180 and defends against formula injection (a cell starting with
 *   = + - @ tab or CR gets a leading single quote, as OWASP recommends).
 * - Slack mrkdwn: `escapeSlackMrkdwn` escapes & < > as Slack documents, so `<!channel>`,
 *   `<http://x|y>` and `<@U123>` are shown, never acted on; renderers also set `verbatim: true` so
 *   Slack does not auto-link bare URLs, #channels or @mentions. A backtick becomes U+02CB (ˋ) so a
 *   value cannot open a code block that swallows the rest of the message. `*`, `_` and `~` are left
 *   alone: at worst they make part of a value bold, italic or struck through, they cannot notify,
 *   link or hide anything, and replacing them would corrupt names such as `redis_prod_1`.
 * - Plain text (terminal, e-mail text part): `plainText` removes control characters (ESC sequences
 *   could drive a terminal) and bidirectional overrides (which can visually reorder text).
 *
 * The inline escapers (Markdown, Slack, plain text) all collapse line breaks, so a value cannot
 * start a new line of our own structure.
 */

export type Printable = string | number | boolean | null | undefined;

function text(value: Printable): string {
  return value === null || value === undefined ? '' : String(value);
}

/** C0/C1 control characters (except tab, CR, LF: handled separately), DEL, and bidi controls. */
const UNSAFE_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\r\n\u2028\u2029]+/g;

/** One line of safe plain text: control and bidi characters removed, line breaks and tabs as one space. */
export function plainText(value: Printable): string {
  return text(value).replace(UNSAFE_CONTROLS, '').replace(LINE_BREAKS, ' ');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or double-quoted attribute value in HTML (and inline SVG). */
export function escapeHtml(value: Printable): string {
  const s = text(value);
  // Most values (ids, names) hold nothing to escape: one scan, no new string.
  return HTML_SPECIAL.test(s) ? s.replace(HTML_SPECIALS, (c) => HTML_ENTITIES[c]!) : s;
}

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;

const MARKDOWN_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Inline Markdown (GFM) text, safe in a table cell. */
export function escapeMarkdown(value: Printable): string {
  return plainText(value)
    .replace(/[&<>\\`*_{}[\]()#+!|~]/g, (c) => MARKDOWN_ENTITIES[c] ?? `\\${c}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/^(\s*)-(?=\s|$)/, '$1\\-')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** One CSV field (RFC 4180), with formula-injection defence. */
export function csvCell(value: Printable): string {
  let cell = text(value);
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",;\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

const SLACK_REPLACEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '`': '\u02CB' };

/** Text inside a Slack mrkdwn text object (use with `verbatim: true`). */
export function escapeSlackMrkdwn(value: Printable): string {
  return plainText(value).replace(/[&<>`]/g, (c) => SLACK_REPLACEMENTS[c]!);
}

/** Text of a Slack plain_text object: Slack shows it as is, so only controls and line breaks go. */
export function slackPlainText(value: Printable): string {
  return plainText(value);
}

/**
 * The longest prefix of `value` whose escaped form fits in `limit` characters, followed by `…` when
 * cut. Cuts between code points, never inside an escape sequence. The escaper must work character by
 * character: escapeSlackMrkdwn, escapeHtml and plainText do; escapeMarkdown does not (it looks at
 * neighbours), so Markdown output is never cut.
 */
export function fitEscaped(value: Printable, limit: number, escape: (value: string) => string): string {
  const whole = escape(text(value));
  if (whole.length <= limit) return whole;
  const ellipsis = '…';
  let out = '';
  for (const ch of plainText(value)) {
    const piece = escape(ch);
    if (out.length + piece.length + ellipsis.length > limit) break;
    out += piece;
  }
  return out + ellipsis;
}

/** Cuts plain text to at most `limit` code points, marking the cut with `…`. */
export function truncate(value: Printable, limit: number): string {
  const chars = Array.from(text(value));
  return chars.length <= limit ? chars.join('') : `${chars.slice(0, Math.max(0, limit - 1)).join('')}…`;
}
