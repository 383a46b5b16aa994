/**
 * The HTML report: one self-contained file (inline CSS, inline SVG, no scripts, no external assets),
 * readable on a phone, at any size: failing, unknown and waived findings in full (grouped, see
 * finding-groups.ts and render-html-attention.ts), passing and not-applicable ones as counts per
 * rule with every resource listed once (passing-resources.ts, render-html-passing.ts). 100k findings
 * give a 4.7 MB page (bench figure 6). Every dynamic string goes through escapeHtml; the
 * Content-Security-Policy forbids scripts and remote loads in case anything ever slipped through.
 */
import { SEVERITIES, type StoredFinding } from '../model';
import { COMPLIANCE_DEFINITION, formatPercent } from './compliance';
import { escapeHtml as h } from './escaping';
import { REPORT_CSS } from './html-styles';
import { formatDate, formatTime, locationLabel, notEnrolledSentence, REPORT_TITLE, resourceLabel, scanStatusSentence, STATUS_LABEL } from './labels';
import { FINDING_STATUSES, type ReportSummaryModel } from './report-model';
import { PLACEHOLDERS } from './finding-groups';
import { AttentionSection } from './render-html-attention';
import { passingSection } from './render-html-passing';
import { complianceTrendChart, severityBarChart } from './svg-charts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtml(model: ReportSummaryModel): string {
  const { scan } = model;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${h(`${REPORT_TITLE}: ${scan.scanId}`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${h(REPORT_TITLE)}</h1>`,
    `<p class="meta wrap">Scan <code>${h(scan.scanId)}</code> (${h(scan.trigger)}) · status <strong>${h(scan.status)}</strong> · started ${h(formatTime(scan.startedAt))} · finished ${h(formatTime(scan.finishedAt))}${model.capturedAt ? ` · evidence captured ${h(formatTime(model.capturedAt))}` : ''}</p>`,
    `<p class="meta wrap">Targets: ${scan.targets.length === 0 ? 'none' : scan.targets.map((t) => h(locationLabel(t))).join(', ')} · ${scan.redisServers} Redis server(s), ${scan.frontends} front-end(s), ${scan.clusters} cluster(s)</p>`,
    model.reportUrl ? `<p class="meta wrap">Latest version of this report: <a href="${h(safeUrl(model.reportUrl))}">${h(model.reportUrl)}</a></p>` : '',
    '</header>',
    '<main>',
    scanErrors(model),
    summary(model),
    charts(model),
    changes(model),
    waivers(model),
    findings(model),
    notEvaluated(model),
    notEnrolled(model),
    '</main>',
    `<footer><p>Generated ${h(formatTime(model.generatedAt))}. Compliance is PASS as a share of evaluated findings (UNKNOWN and SUPPRESSED count against it; NOT_APPLICABLE is left out).</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function scanErrors(model: ReportSummaryModel): string {
  const { scan } = model;
  if (scan.status === 'COMPLETE' && scan.errors.length === 0) return '';
  const rows = scan.errors
    .map(
      (e) =>
        `<tr><td data-label="Target" class="token">${h(locationLabel(e))}</td><td data-label="Call"><code class="token">${h(`${e.service}:${e.operation}`)}</code></td><td data-label="Code" class="token">${h(e.code)}</td><td data-label="Message">${h(e.message)}</td></tr>`,
    )
    .join('');
  return (
    `<section id="scan-errors" class="banner${scan.status === 'FAILED' ? ' failed' : ''}"><strong>${h(scanStatusSentence(scan))}</strong>` +
    (rows ? `<div class="scroll"><table class="stack"><thead><tr><th>Target</th><th>Call</th><th>Code</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table></div>` : '') +
    '</section>'
  );
}

function summary(model: ReportSummaryModel): string {
  const cards = FINDING_STATUSES.map(
    (status) => `<div class="card"><span class="n">${model.counts[status]}</span><span class="badge st-${status}">${h(STATUS_LABEL[status])}</span></div>`,
  ).join('');
  return (
    `<section id="summary"><h2>Summary</h2><div class="cards">` +
    `<div class="card"><span class="n">${h(formatPercent(model.compliancePercent))}</span>compliant <span class="meta">(${h(COMPLIANCE_DEFINITION)})</span></div>${cards}</div></section>`
  );
}

function charts(model: ReportSummaryModel): string {
  // The table repeats the bar chart's numbers for readers (and mail clients) without SVG.
  const table = `<table class="severity-table"><thead><tr>${SEVERITIES.map((s) => `<th>${h(s)}</th>`).join('')}</tr></thead><tbody><tr>${SEVERITIES.map((s) => `<td>${model.failBySeverity[s]}</td>`).join('')}</tr></tbody></table>`;
  return (
    '<section id="charts"><h2>Charts</h2><div class="charts">' +
    `<figure><figcaption>Failing findings by severity</figcaption>${severityBarChart(model.failBySeverity)}${table}</figure>` +
    `<figure><figcaption>Compliance trend (last ${model.trend.length} scan(s))</figcaption>${complianceTrendChart(model.trend)}</figure>` +
    '</div></section>'
  );
}

function changes(model: ReportSummaryModel): string {
  if (!model.changes.compared) return '<section id="changes"><h2>Changes since the previous scan</h2><p>No previous scan to compare with.</p></section>';
  const since = model.changes.previousScanId ? ` (<code>${h(model.changes.previousScanId)}</code>)` : '';
  return (
    `<section id="changes"><h2>Changes since the previous scan${since}</h2>` +
    `<h3>New (${model.changes.new.length})</h3>${findingList(model.changes.new, 'Nothing new fails.')}` +
    `<h3>Resolved (${model.changes.resolved.length})</h3>${findingList(model.changes.resolved, 'Nothing was resolved.')}` +
    '</section>'
  );
}

function findingList(list: readonly StoredFinding[], empty: string): string {
  if (list.length === 0) return `<p>${h(empty)}</p>`;
  return `<ul>${list.map((f) => `<li>${badges(f)} ${h(f.title)}: ${h(resourceLabel(f))} <span class="meta">(${h(locationLabel(f))}, <code>${h(f.ruleId)}</code>)</span></li>`).join('')}</ul>`;
}

function waivers(model: ReportSummaryModel): string {
  const { active, expiringSoon, expired, expiringWithinDays } = model.waivers;
  const activePart =
    active.length === 0
      ? '<p>No waiver is active.</p>'
      : `<div class="scroll"><table id="active-waivers"><thead><tr><th>Waiver</th><th>Rule</th><th>Resources</th><th>Owner</th><th>Reason</th><th>Expires</th><th>Suppresses</th></tr></thead><tbody>` +
        active
          .map(
            ({ suppression: s, suppressedFindings }) =>
              `<tr><td><code>${h(s.id)}</code></td><td><code>${h(s.ruleId)}</code></td><td><code>${h(s.resourcePattern)}</code></td><td>${h(s.owner)}</td><td>${h(s.reason)}</td><td>${h(formatDate(s.expiresAt))}</td><td>${suppressedFindings} finding(s)</td></tr>`,
          )
          .join('') +
        '</tbody></table></div>';
  const expiredPart =
    expired.length === 0
      ? ''
      : `<div class="banner expired" id="expired-waivers"><strong>${expired.length} waiver(s) expired: these findings count again.</strong><ul>` +
        expired
          .map(
            ({ finding, waiver }) =>
              `<li>${badges(finding)} ${h(finding.title)}: ${h(resourceLabel(finding))}. Waiver <code>${h(waiver.id)}</code> by ${h(waiver.owner)} (“${h(waiver.reason)}”) expired ${h(formatTime(waiver.expiredAt))}.</li>`,
          )
          .join('') +
        '</ul></div>';
  const expiringPart =
    expiringSoon.length === 0
      ? `<p>No waiver expires within ${expiringWithinDays} days.</p>`
      : `<div class="scroll"><table id="expiring-waivers"><thead><tr><th>Waiver</th><th>Rule</th><th>Resources</th><th>Owner</th><th>Reason</th><th>Expires</th><th>Suppresses</th></tr></thead><tbody>` +
        expiringSoon
          .map(
            ({ suppression: s, daysLeft, suppressedFindings }) =>
              `<tr><td><code>${h(s.id)}</code></td><td><code>${h(s.ruleId)}</code></td><td><code>${h(s.resourcePattern)}</code></td><td>${h(s.owner)}</td><td>${h(s.reason)}</td><td>${h(formatDate(s.expiresAt))} (in ${daysLeft} day(s))</td><td>${suppressedFindings} finding(s)</td></tr>`,
          )
          .join('') +
        '</tbody></table></div>';
  return `<section id="waivers"><h2>Waivers</h2>${expiredPart}<h3>Active (${active.length})</h3>${activePart}<h3>Expiring within ${expiringWithinDays} days (${expiringSoon.length})</h3>${expiringPart}</section>`;
}

function findings(model: ReportSummaryModel): string {
  // FAIL, UNKNOWN, then SUPPRESSED: report order. PASS and NOT_APPLICABLE are in model.passing.
  const attention = new AttentionSection();
  for (const f of model.attention) attention.add(f);
  for (const f of model.suppressed) attention.add(f);
  const count = attention.count;
  const html = attention.html();
  const intro =
    model.total === 0
      ? '<p>No findings: nothing was evaluated.</p>'
      : count === 0
        ? '<p>No finding fails, is unknown or is waived.</p>'
        : `<p class="meta">Every failing, unknown and waived finding, grouped by rule and verdict; where findings share an observation, it is written once with ${h(PLACEHOLDERS.resource)}, ${h(PLACEHOLDERS.name)} and ${h(PLACEHOLDERS.cluster)} standing for each resource listed under it. The JSON and CSV exports hold every finding as a record.</p>`;
  return `<section id="findings"><h2>Findings needing attention (${count} of ${model.total})</h2>${intro}${html}</section>${passingSection(model.passing)}`;
}

function badges(f: StoredFinding): string {
  return `<span class="badge st-${h(f.status)}">${h(f.status)}</span> <span class="badge sev-${h(f.severity)}">${h(f.severity)}</span>`;
}

function notEvaluated(model: ReportSummaryModel): string {
  const list = model.scan.notEvaluated;
  if (list.length === 0) return '';
  const rows = list
    .map((n) => `<tr><td><code>${h(n.instanceId)}</code></td><td>${h(n.role)}</td><td>${h(locationLabel(n))}</td><td>${h(n.state)}</td><td>${h(n.reason)}</td></tr>`)
    .join('');
  return `<section id="not-evaluated"><h2>Instances not evaluated (${list.length})</h2><div class="scroll"><table><thead><tr><th>Instance</th><th>Role</th><th>Where</th><th>State</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function notEnrolled(model: ReportSummaryModel): string {
  const list = model.scan.notEnrolled ?? [];
  if (list.length === 0) return '';
  return `<section id="not-enrolled"><h2>Accounts not enrolled (${list.length})</h2><p>${h(notEnrolledSentence(list))}</p><p class="wrap">${list.map((id) => `<code class="token">${h(id)}</code>`).join(', ')}</p></section>`;
}

/** Only http(s) links are rendered as links; anything else becomes an inert fragment. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}
