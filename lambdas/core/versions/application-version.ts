/**
 * The version of one AWS:Application inventory row, whatever the platform wrote it:
 * RPM rows carry `Release` / `Epoch` fields beside `Version`; Debian rows put everything in
 * `Version` (`5:7.0.15-1~deb12u1`); Windows rows carry the DisplayVersion (`11.23.0.41350`).
 */
import { parseDebianVersion } from './debian-version';
import { parseUpstream, type ParsedVersion } from './parsed-version';
import { parseRpmVersion, rpmField } from './rpm-version';

export type InventoryRow = Readonly<Record<string, string>>;

export function parseApplicationVersion(row: InventoryRow): ParsedVersion | undefined {
  const version = row['Version']?.trim();
  if (!version) return undefined;
  const release = rpmField(row['Release']);
  const epoch = rpmField(row['Epoch']);
  // An RPM version never holds a hyphen or an epoch itself, so separate fields mean an RPM row.
  if (release !== undefined || (epoch !== undefined && !version.includes(':'))) return parseRpmVersion(version, release, epoch);
  return parseDebianVersion(version);
}

/** A Windows DisplayVersion (`11.23.0.41350`, `11.23.0 (Build 41350)`): no epoch, no packaging revision. */
export function parseWindowsVersion(displayVersion: string): ParsedVersion | undefined {
  return parseUpstream(displayVersion);
}
