/** The inline stylesheet of the HTML report: mobile first, no external fonts or images. */
import { severityBadgeCss } from './severity-palette';

export const REPORT_CSS = `
:root{--fg:#111827;--muted:#4b5563;--bg:#f9fafb;--card:#fff;--line:#e5e7eb;--fail:#b91c1c;--unknown:#a16207;--suppressed:#6d28d9;--pass:#15803d;--na:#6b7280}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1100px;margin:0 auto;padding:12px 16px}
h1{font-size:1.5rem;margin:.4em 0}
h2{font-size:1.2rem;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1rem;margin:1em 0 .4em}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;background:#f3f4f6;padding:0 .25em;border-radius:3px}
.meta{color:var(--muted);margin:.2em 0}
.wrap,td,dd,summary,li{overflow-wrap:anywhere;word-break:break-word}
td.token,.token{overflow-wrap:normal;word-break:keep-all;white-space:nowrap}
@media (max-width:640px){table.stack thead{display:none}table.stack tr{display:block;border:1px solid var(--line);margin:0 0 8px}table.stack td{display:block;border:0;padding:3px 8px}table.stack td::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}}
.banner{border-left:5px solid var(--unknown);background:#fffbeb;padding:10px 14px;margin:12px 0;border-radius:4px}
.banner.failed{border-color:var(--fail);background:#fef2f2}
.banner.expired{border-color:var(--fail);background:#fef2f2}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card .n{font-size:1.6rem;font-weight:700;display:block}
.charts{display:grid;grid-template-columns:1fr;gap:16px}
@media (min-width:760px){.charts{grid-template-columns:2fr 3fr}}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px}
figcaption{font-weight:600;margin-bottom:6px}
.chart{display:block;max-width:100%;height:auto}
#chart-trend{max-width:520px}
.chart-label,.chart-value,.chart-axis{font-size:13px;fill:#374151}
.chart-bar{stroke:#374151;stroke-width:1}
.chart-grid{stroke:#e5e7eb;stroke-width:1}
.chart-line{fill:none;stroke:#2563eb;stroke-width:2.5}
.chart-dot{fill:#2563eb}
.chart-dot-none{fill:#9ca3af}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}
.scroll{overflow-x:auto}
.badge{display:inline-block;font-size:.75rem;font-weight:700;padding:1px 7px;border-radius:10px;color:#fff;background:var(--na);white-space:nowrap}
.st-FAIL{background:var(--fail)}.st-UNKNOWN{background:var(--unknown)}.st-SUPPRESSED{background:var(--suppressed)}.st-PASS{background:var(--pass)}.st-NOT_APPLICABLE{background:var(--na)}
${severityBadgeCss()}
.finding{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--na);border-radius:6px;margin:8px 0}
.finding.f-FAIL{border-left-color:var(--fail)}.finding.f-UNKNOWN{border-left-color:var(--unknown)}.finding.f-SUPPRESSED{border-left-color:var(--suppressed)}.finding.f-PASS{border-left-color:var(--pass)}
.finding summary{cursor:pointer;padding:8px 12px}
.finding dl{margin:0;padding:0 12px 10px;display:grid;grid-template-columns:1fr;gap:2px 12px}
@media (min-width:640px){.finding dl{grid-template-columns:140px 1fr}}
.finding dt{font-weight:600;color:var(--muted)}
.finding dd{margin:0 0 6px}
blockquote{margin:0;padding-left:10px;border-left:3px solid var(--line);color:#374151}
.waiver{color:var(--suppressed)}
.expired-note{color:var(--fail);font-weight:600}
footer{color:var(--muted);font-size:.85rem}
.o{border-top:1px solid var(--line);padding-top:4px;margin-top:4px}
.o p{margin:.2em 0}
.ph{font-style:italic;color:var(--muted)}
.o p.r{margin:.2em 0 .2em 1em;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.ids{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;overflow-wrap:anywhere}
`;
