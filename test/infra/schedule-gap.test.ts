/**
 * The scan after the inventory: the association (UTC cron) must start at least
 * inventory.minutesBeforeScan before the scan (cron in its time zone) on every day of the year.
 * In Europe/Lisbon a 02:00 scan is 01:00 UTC in summer, the minute the default association starts.
 */
import { parseAppConfig } from '../../lib/config/load-app-config';
import { dailyCron, smallestScheduleGap, zonedInstant } from '../../lib/config/schedule-gap';
import { BASE_CONFIG } from './app-fixture';

const parse = (over: Record<string, unknown>) => () => parseAppConfig({ ...BASE_CONFIG, ...over }, 'test');

test('a 02:00 Lisbon scan with the default 01:00 UTC association is refused, naming the summer day and the fix', () => {
  expect(parse({ schedule: { cron: 'cron(0 2 * * ? *)', timeZone: 'Europe/Lisbon' } })).toThrow(/inventory\.schedule: the scan \(cron\(0 2 \* \* \? \*\) in Europe\/Lisbon\) runs at 01:00 UTC on \d{4}-\d{2}-\d{2}, only 0 minutes after the inventory association/);
});

test('the association an hour before the summer scan, or a UTC scan, is accepted', () => {
  expect(parse({ schedule: { cron: 'cron(0 2 * * ? *)', timeZone: 'Europe/Lisbon' }, inventory: { schedule: 'cron(0 0 * * ? *)' } })).not.toThrow();
  expect(parse({})).not.toThrow();
  expect(parse({ schedule: { cron: 'cron(0 2 * * ? *)', timeZone: 'America/New_York' } })).not.toThrow();
});

test('the gap is configurable', () => {
  expect(parse({ inventory: { schedule: 'cron(30 1 * * ? *)', minutesBeforeScan: 45 } })).toThrow(/only 30 minutes/);
  expect(parse({ inventory: { schedule: 'cron(30 1 * * ? *)', minutesBeforeScan: 30 } })).not.toThrow();
});

test('the smallest gap over a year follows daylight saving', () => {
  const from = new Date('2030-01-01T00:00:00Z');
  expect(smallestScheduleGap({ cron: 'cron(0 2 * * ? *)', timeZone: 'Europe/Lisbon' }, 'cron(0 0 * * ? *)', from)).toMatchObject({ minutes: 60, scanUtc: '01:00' });
  expect(smallestScheduleGap({ cron: 'cron(0 2 * * ? *)', timeZone: 'UTC' }, 'cron(0 1 * * ? *)', from)).toMatchObject({ minutes: 60, scanUtc: '02:00' });
  // 02:00 in Kolkata is 20:30 UTC the day before: the association started 19.5 hours earlier.
  expect(smallestScheduleGap({ cron: 'cron(0 2 * * ? *)', timeZone: 'Asia/Kolkata' }, 'cron(0 1 * * ? *)', from)).toMatchObject({ minutes: 1170, scanUtc: '20:30' });
  expect(new Date(zonedInstant(2030, 6, 1, { hour: 2, minute: 0 }, 'Europe/Lisbon')).toISOString()).toBe('2030-07-01T01:00:00.000Z');
  expect(new Date(zonedInstant(2030, 0, 1, { hour: 2, minute: 0 }, 'Europe/Lisbon')).toISOString()).toBe('2030-01-01T02:00:00.000Z');
  expect(dailyCron('cron(0 2 ? * MON-FRI *)')).toBeUndefined();
  expect(smallestScheduleGap({ cron: 'cron(0 2 * * ? *)', timeZone: 'UTC' }, 'rate(12 hours)', from)).toBeUndefined();
});
