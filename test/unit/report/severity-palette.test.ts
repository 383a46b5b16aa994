/**
 * The severity colours of the HTML report, as the rendered stylesheet and bar chart use them: every
 * pair far apart for readers with normal vision, protanopia and deuteranopia (CIEDE2000), badge text
 * readable on every colour (WCAG contrast), and the bars the same colours as the badges.
 */
import { SEVERITIES } from '../../../lambdas/core/model';
import { renderHtml } from '../../../lambdas/core/report/render-html';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { ciede2000, ciede2000Lab, contrastRatio, parseHex, simulate, type Vision } from '../../support/colour-vision';
import { sampleInput } from '../../support/report-fixtures';

const html = renderHtml(buildReportModel(sampleInput()));
const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;

/** The badge's background and text colour for a severity, from the rendered stylesheet. */
function badge(severity: string): { fill: string; text: string } {
  const rule = new RegExp(`\\.sev-${severity}\\{([^}]*)\\}`).exec(css)![1]!;
  const badgeRule = /\.badge\{([^}]*)\}/.exec(css)![1]!;
  const colour = (decls: string, prop: string) => new RegExp(`(?:^|;)${prop}:(#[0-9a-f]{3,6})`, 'i').exec(decls)?.[1];
  const expand = (hex: string) => (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex);
  return { fill: expand(colour(rule, 'background')!), text: expand(colour(rule, 'color') ?? colour(badgeRule, 'color')!) };
}

describe('the colour arithmetic', () => {
  it('matches published CIEDE2000 test pairs (Sharma, Wu and Dalal 2005, pairs 1, 7 and 17)', () => {
    expect(ciede2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(ciede2000Lab([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(ciede2000Lab([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
  });

  it('gives WCAG contrast 21 for black on white', () => {
    expect(contrastRatio(parseHex('#000000'), parseHex('#ffffff'))).toBeCloseTo(21, 5);
  });
});

describe('the severity palette', () => {
  const visions: Vision[] = ['normal', 'protanopia', 'deuteranopia'];

  it.each(visions)('keeps every pair of severity colours at CIEDE2000 20 or more apart (%s)', (vision) => {
    const distances: Array<[string, number]> = [];
    SEVERITIES.forEach((a, i) =>
      SEVERITIES.slice(i + 1).forEach((b) => distances.push([`${a}/${b}`, ciede2000(simulate(parseHex(badge(a).fill), vision), simulate(parseHex(badge(b).fill), vision))])),
    );
    const closest = distances.reduce((min, d) => (d[1] < min[1] ? d : min));
    // The message names the closest pair when this fails.
    expect(`${closest[0]} ${closest[1] >= 20 ? 'far enough' : `only ${closest[1].toFixed(1)} apart`}`).toBe(`${closest[0]} far enough`);
  });

  it.each([...SEVERITIES])('writes %s badge text at WCAG contrast 4.5:1 or more', (severity) => {
    const { fill, text } = badge(severity);
    expect(contrastRatio(parseHex(fill), parseHex(text))).toBeGreaterThanOrEqual(4.5);
  });

  it('fills the bar chart with the badge colours', () => {
    const chart = /<svg class="chart" id="chart-severity"[\s\S]*?<\/svg>/.exec(html)![0];
    for (const severity of SEVERITIES) expect(chart).toMatch(new RegExp(`fill="${badge(severity).fill}"><title>${severity}: `, 'i'));
  });
});
