/** Figure 9: the terminal table (`scan`'s default format) for 1,000 Redis servers whose tags are at AWS's 256-character limit (child process). */
import { runNode, tsxArgs } from '../child-process';
import { errorMessage, formatBytes, formatMs, notMeasured, sizeLabel, verdict, type Figure } from '../figure';

const TIME_TARGET_MS = 1000;

interface TableRun {
  servers: number;
  findings: number;
  tableMs: number;
  tableChars: number;
  jsonMs: number;
  jsonChars: number;
}

export const tableRenderingFigure: Figure = {
  id: '10',
  name: 'table-rendering',
  async run(options) {
    const servers = options.smoke ? 50 : 1000;
    const label = `10. terminal table, ${sizeLabel(servers)} Redis servers with 256-character tags`;
    const target = `< ${formatMs(TIME_TARGET_MS)}`;
    try {
      const { value: r } = await runNode<TableRun>(tsxArgs('bench/measure-table.ts', String(servers)), { timeoutMs: 300_000 });
      return [
        {
          figure: label,
          measured: `${formatMs(r.tableMs)} for ${formatBytes(r.tableChars)} of text (median of 3; the JSON report of the same ${r.findings} findings: ${formatMs(r.jsonMs)})`,
          target,
          met: verdict(options, r.tableMs < TIME_TARGET_MS),
          data: { ...r },
        },
      ];
    } catch (error) {
      return [notMeasured(label, target, errorMessage(error))];
    }
  },
};
