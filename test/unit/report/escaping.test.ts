import { csvCell, escapeHtml, escapeMarkdown, escapeSlackMrkdwn, fitEscaped, plainText, truncate } from '../../../lambdas/core/report/escaping';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"><img src=x onerror=alert(1)>'`, '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;'],
    ['a & b', 'a &amp; b'],
    ['&amp;', '&amp;amp;'],
    ['plain', 'plain'],
    [undefined, ''],
    [null, ''],
    [42, '42'],
  ])('%p -> %p', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['`code`', '\\`code\\`'],
    ['[x](http://evil)', '\\[x\\]\\(http\\://evil\\)'],
    ['<b>&', '&lt;b&gt;&amp;'],
    ['*bold* _it_ ~s~', '\\*bold\\* \\_it\\_ \\~s\\~'],
    ['back\\slash', 'back\\\\slash'],
    ['line1\nline2\r\n| x', 'line1 line2 \\| x'],
    ['- not a list', '\\- not a list'],
    ['1. not a list', '1\\. not a list'],
    ['28.5 %', '28.5 %'],
    ['-1', '-1'],
    ['www.evil.example', 'www\\.evil.example'],
    ['#heading', '\\#heading'],
    ['redis-prod-1', 'redis-prod-1'],
  ])('%p -> %p', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('csvCell', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['@SUM(1)', "'@SUM(1)"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1,2', `"'=1,2"`],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    [true, 'true'],
    [null, ''],
  ])('%p -> %p', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});

describe('escapeSlackMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<http://evil|click>', '&lt;http://evil|click&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['a & b', 'a &amp; b'],
    ['```x```', '\u02CB\u02CB\u02CBx\u02CB\u02CB\u02CB'],
    ['redis_prod_1 *x* ~y~', 'redis_prod_1 *x* ~y~'],
    ['two\nlines', 'two lines'],
  ])('%p -> %p', (input, expected) => {
    expect(escapeSlackMrkdwn(input)).toBe(expected);
  });
});

describe('plainText', () => {
  it('removes ANSI escapes, other controls and bidi overrides, and keeps one line', () => {
    expect(plainText('\u001b[31mred\u001b[0m\nnext\r\u202Eevil\u0007')).toBe('[31mred[0m next evil');
  });
});

describe('fitEscaped', () => {
  it('keeps whole escapes and marks the cut', () => {
    const out = fitEscaped('<<<<<<<<<<', 12, escapeSlackMrkdwn);
    expect(out).toBe('&lt;&lt;…');
    expect(out.length).toBeLessThanOrEqual(12);
  });
  it('returns short values unchanged', () => {
    expect(fitEscaped('a<b', 100, escapeSlackMrkdwn)).toBe('a&lt;b');
  });
  it('never exceeds the limit on a 5,000-character value', () => {
    const value = '&'.repeat(5000);
    const out = fitEscaped(value, 3000, escapeSlackMrkdwn);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out.endsWith('&amp;…')).toBe(true);
  });
});

describe('truncate', () => {
  it('cuts on code points', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});
