/**
 * The scan must read tonight's inventory: the State Manager association (its cron is UTC) has to
 * start at least `minutes` before the scan (EventBridge Scheduler cron, in the configured time
 * zone), every day of the year, daylight-saving changes included. Pure; checks daily cron
 * expressions with fixed minute and hour (`cron(M H * * ? *)` / `cron(M H ? * * *)`); any other
 * schedule is not checked (undefined).
 */

const DAILY = /^cron\((\d{1,2}) (\d{1,2}) (\*|\?) \* (\*|\?) \*\)$/;

export interface DailyTime {
  hour: number;
  minute: number;
}

export function dailyCron(expression: string): DailyTime | undefined {
  const m = DAILY.exec(expression.trim());
  if (!m) return undefined;
  const minute = Number(m[1]);
  const hour = Number(m[2]);
  return minute < 60 && hour < 24 ? { hour, minute } : undefined;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the time zone is ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(
    format
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a wall-clock time on a calendar day in a time zone. */
export function zonedInstant(year: number, month: number, day: number, time: DailyTime, timeZone: string): number {
  const wall = Date.UTC(year, month, day, time.hour, time.minute);
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return instant;
}

export interface ScheduleGap {
  /** The smallest time from an association start to the next scan over the days checked. */
  minutes: number;
  /** The UTC day of that scan. */
  day: string;
  /** The scan's UTC time that day (HH:MM). */
  scanUtc: string;
}

/** The smallest gap between the association's last start and the scan, over `days` days from `from`. */
export function smallestScheduleGap(scan: { cron: string; timeZone: string }, associationCron: string, from: Date, days = 366): ScheduleGap | undefined {
  const scanTime = dailyCron(scan.cron);
  const association = dailyCron(associationCron);
  if (!scanTime || !association) return undefined;
  let smallest: ScheduleGap | undefined;
  for (let i = 0; i < days; i++) {
    const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + i));
    const scanAt = zonedInstant(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), scanTime, scan.timeZone);
    const day = new Date(scanAt);
    const sameDay = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), association.hour, association.minute);
    const lastStart = sameDay <= scanAt ? sameDay : sameDay - 86_400_000;
    const minutes = Math.round((scanAt - lastStart) / 60_000);
    if (!smallest || minutes < smallest.minutes) smallest = { minutes, day: day.toISOString().slice(0, 10), scanUtc: day.toISOString().slice(11, 16) };
  }
  return smallest;
}
