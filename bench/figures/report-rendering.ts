/** Figure 6: rendering the HTML report, the Slack message and the e-mail for 100k findings (child process). */
import { runNode, tsxArgs } from '../child-process';
import { errorMessage, formatBytes, formatMs, notMeasured, sizeLabel, verdict, type Figure } from '../figure';

const TIME_TARGET_MS = 1000;
const HTML_BYTES_TARGET = 5 * 1024 * 1024;
const HTML_TIME_TARGET_MS = 300;

interface ReportRun {
  findings: number;
  modelMs: number;
  htmlMs: number;
  /** CPU time of the HTML render (all of the process's threads, GC included), median of 3. */
  htmlCpuMs: number;
  slackMs: number;
  emailMs: number;
  renderMs: number;
  htmlBytes: number;
  emailHtmlBytes: number;
  slackBlocks: number;
  slackLongestText: number;
  slackTextsOverLimit: number;
  slackFallbackLength: number;
}

export const reportRenderingFigure: Figure = {
  id: '6',
  name: 'report-rendering',
  async run(options) {
    const count = options.smoke ? 1000 : 100000;
    const timeLabel = `6. report rendering (HTML + Slack + e-mail), ${sizeLabel(count)} findings`;
    const slackLabel = `6. Slack payload for ${sizeLabel(count)} findings`;
    const slackTarget = '<= 50 blocks, texts <= 3000 chars';
    try {
      const { value: r } = await runNode<ReportRun>(tsxArgs('bench/measure-report.ts', String(count)), { timeoutMs: 300_000 });
      const slackOk = r.slackBlocks <= 50 && r.slackTextsOverLimit === 0 && r.slackLongestText <= 3000;
      return [
        {
          figure: timeLabel,
          measured: `${formatMs(r.renderMs)} (HTML ${formatMs(r.htmlMs)} for ${formatBytes(r.htmlBytes)}, Slack ${formatMs(r.slackMs)}, e-mail ${formatMs(r.emailMs)}; report model ${formatMs(r.modelMs)} not included)`,
          target: `<= ${formatMs(TIME_TARGET_MS)}`,
          met: verdict(options, r.renderMs <= TIME_TARGET_MS),
          data: { ...r },
        },
        {
          // A page a browser opens at once (FAIL/UNKNOWN/SUPPRESSED in full, the rest counted per rule).
          figure: `6. HTML report of ${sizeLabel(count)} findings: size and render time`,
          // Wall time is judged; the CPU time beside it shows how much of it a busy machine added.
          measured: `${formatBytes(r.htmlBytes)} in ${formatMs(r.htmlMs)} (median of 3; CPU ${formatMs(r.htmlCpuMs)})`,
          target: `<= ${formatBytes(HTML_BYTES_TARGET)}, <= ${formatMs(HTML_TIME_TARGET_MS)}`,
          met: verdict(options, r.htmlBytes <= HTML_BYTES_TARGET && r.htmlMs <= HTML_TIME_TARGET_MS),
        },
        {
          figure: slackLabel,
          measured: `${r.slackBlocks} blocks, longest text ${r.slackLongestText} chars, ${r.slackTextsOverLimit} over their limit`,
          target: slackTarget,
          met: slackOk,
        },
      ];
    } catch (error) {
      return [notMeasured(timeLabel, `<= ${formatMs(TIME_TARGET_MS)}`, errorMessage(error)), notMeasured(slackLabel, slackTarget, errorMessage(error))];
    }
  },
};
