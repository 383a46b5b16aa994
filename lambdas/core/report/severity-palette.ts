/**
 * The five severity colours of the HTML report (badges and bars), with the text colour each badge
 * uses. Chosen so that every pair stays far apart (CIEDE2000 above 20) for readers with normal
 * vision, protanopia and deuteranopia (lightness differs as well as hue: dark maroon, orange, amber,
 * blue, grey), and so that the badge text has a WCAG contrast of at least 4.5:1 on its colour.
 * test/unit/report/severity-palette.test.ts checks both.
 */
import { SEVERITIES, type Severity } from '../model';

export interface SeverityColours {
  /** Badge background and bar fill. */
  fill: string;
  /** Badge text. */
  text: string;
}

const LIGHT_TEXT = '#ffffff';
const DARK_TEXT = '#111827';

export const SEVERITY_PALETTE: Readonly<Record<Severity, SeverityColours>> = {
  critical: { fill: '#450a0a', text: LIGHT_TEXT },
  high: { fill: '#c2410c', text: LIGHT_TEXT },
  medium: { fill: '#fbbf24', text: DARK_TEXT },
  low: { fill: '#1d4ed8', text: LIGHT_TEXT },
  info: { fill: '#9ca3af', text: DARK_TEXT },
};

/** The `.sev-<severity>` badge rules of the report's stylesheet. */
export function severityBadgeCss(): string {
  return SEVERITIES.map((s) => `.sev-${s}{background:${SEVERITY_PALETTE[s].fill};color:${SEVERITY_PALETTE[s].text}}`).join('');
}
