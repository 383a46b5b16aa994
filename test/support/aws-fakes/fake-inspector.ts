/**
 * Amazon Inspector (inspector2) ListFindings and ListCoverage for the fake AWS, over the `inspector`
 * section an estate holds (what a real capture would have read), in the service's rest-json wire
 * format (model: aws-sdk-js-v3 codegen/sdk-codegen/aws-models/inspector2.json; paths
 * `POST /findings/list` and `POST /coverage/list`; timestamps as epoch seconds; errors with the
 * `x-amzn-errortype` header and a `{"message"}` body). Filters honoured: `resourceId`,
 * `resourceType`, `findingStatus` (StringFilter EQUALS) and `vulnerablePackages[].name` (EQUALS),
 * values of one field or-ed, fields and-ed. Pages of `maxResults` (default 10 here) with an opaque
 * `nextToken`. An estate without the section answers with empty lists (nothing covered).
 */
import type { InspectorSection, SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { FakeAwsError } from './fake-region';

interface StringFilter {
  comparison?: string;
  value?: string;
}

function matches(filters: StringFilter[] | undefined, value: string | undefined): boolean {
  if (filters === undefined || filters.length === 0) return true;
  for (const f of filters) if (f.comparison !== 'EQUALS') throw new FakeAwsError('ValidationException', `comparison ${f.comparison} is not supported by this fake`);
  return filters.some((f) => f.value === value);
}

function page<T>(items: T[], input: { maxResults?: number; nextToken?: string }): { items: T[]; nextToken?: string } {
  const size = input.maxResults ?? 10;
  if (!Number.isInteger(size) || size < 1) throw new FakeAwsError('ValidationException', `maxResults ${size} is not a positive integer`);
  const start = input.nextToken === undefined ? 0 : Number(/^page-(\d+)$/.exec(input.nextToken)?.[1] ?? NaN);
  if (!Number.isInteger(start)) throw new FakeAwsError('ValidationException', 'invalid nextToken');
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, nextToken: `page-${start + size}` } : { items: slice };
}

function epochSeconds(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && key !== undefined && /At$/.test(key)) return Date.parse(value) / 1000;
  if (Array.isArray(value)) return value.map((v) => epochSeconds(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, epochSeconds(v, k)]));
  return value;
}

const empty: InspectorSection = { instanceIds: [], packageNames: [], findings: [], coveredResources: [] };

export function listCoverage(estate: SnapshotTarget, input: { filterCriteria?: { resourceId?: StringFilter[]; resourceType?: StringFilter[] }; maxResults?: number; nextToken?: string }): object {
  const section = estate.inspector ?? empty;
  const criteria = input.filterCriteria ?? {};
  const found = section.coveredResources.filter((c) => matches(criteria.resourceId, c.resourceId) && matches(criteria.resourceType, c.resourceType));
  const { items, nextToken } = page(found, input);
  return { coveredResources: epochSeconds(items), ...(nextToken ? { nextToken } : {}) };
}

export function listFindings(estate: SnapshotTarget, input: { filterCriteria?: { resourceId?: StringFilter[]; resourceType?: StringFilter[]; findingStatus?: StringFilter[]; vulnerablePackages?: Array<{ name?: StringFilter }> }; maxResults?: number; nextToken?: string }): object {
  const section = estate.inspector ?? empty;
  const criteria = input.filterCriteria ?? {};
  const names = (criteria.vulnerablePackages ?? []).map((p) => p.name).filter((n): n is StringFilter => n !== undefined);
  const found = section.findings.filter(
    (f) =>
      (f.resources ?? []).some((r) => matches(criteria.resourceId, r.id) && matches(criteria.resourceType, r.type)) &&
      matches(criteria.findingStatus, f.status) &&
      (names.length === 0 || (f.packageVulnerabilityDetails?.vulnerablePackages ?? []).some((p) => matches(names, p.name))),
  );
  const { items, nextToken } = page(found, input);
  return { findings: epochSeconds(items), ...(nextToken ? { nextToken } : {}) };
}
