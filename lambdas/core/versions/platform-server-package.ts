/**
 * Which AWS:Application inventory rows are the OutSystems Platform Server (Windows uninstall entries).
 * The name is `OutSystems Platform Server`, possibly followed by a version (`OutSystems Platform Server 11`,
 * `OutSystems Platform Server 11.23.0 (Build 41350)`), compared case-insensitively. Other OutSystems
 * products (`OutSystems Development Environment 11`, `OutSystems Platform Server Configuration Tool`, ...)
 * do not match. The publisher, when the row has one, must name OutSystems: a row that only borrows the
 * name is not trusted.
 */
import type { InventoryRow } from './application-version';

const PLATFORM_SERVER_NAME = /^outsystems platform server(?: v?\d[\w.]*)?(?: ?\([^()]*\))?$/i;

export function isPlatformServerRow(row: InventoryRow): boolean {
  const name = (row['Name'] ?? '').trim().replace(/\s+/g, ' ');
  if (!PLATFORM_SERVER_NAME.test(name)) return false;
  const publisher = (row['Publisher'] ?? '').trim();
  return publisher === '' || /outsystems/i.test(publisher);
}

export function platformServerRows(rows: readonly InventoryRow[]): InventoryRow[] {
  return rows.filter(isPlatformServerRow);
}
