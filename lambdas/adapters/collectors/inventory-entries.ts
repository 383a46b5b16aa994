/**
 * Reads the rows of one SSM inventory type for one instance with ListInventoryEntries, every page, and
 * maps them to the snapshot's entity shape (GetInventory's `Data[<TypeName>]`):
 *
 *   ListInventoryEntries { TypeName, SchemaVersion, CaptureTime, Entries[] }
 *     -> { TypeName, SchemaVersion, CaptureTime, Content: Entries[] of every page }
 *
 * An answer with no rows and no CaptureTime means no inventory of that type was ever captured on the
 * instance: that is `undefined` (no Data entry, so the rules say "no inventory", UNKNOWN), never an
 * empty Content that would read as "nothing of that kind installed".
 *
 * The SSM client has no paginator for ListInventoryEntries (the service model does not mark it
 * paginated), so one is made with the SDK's own paginator factory on NextToken / MaxResults.
 */
import { ListInventoryEntriesCommand, SSMClient, type InventoryFilter, type ListInventoryEntriesCommandInput, type ListInventoryEntriesCommandOutput, type SSMPaginationConfiguration } from '@aws-sdk/client-ssm';
import { createPaginator } from '@smithy/core';
import type { InventoryEntity } from '../../core/snapshot/schema';
import { SSM_INVENTORY_ENTRIES_PAGE_SIZE } from './api-limits';

export type InventoryTypeData = NonNullable<InventoryEntity['Data']>[string];

const paginateListInventoryEntries = createPaginator<SSMPaginationConfiguration, ListInventoryEntriesCommandInput, ListInventoryEntriesCommandOutput>(
  SSMClient,
  ListInventoryEntriesCommand,
  'NextToken',
  'NextToken',
  'MaxResults',
);

/** Rows of `typeName` on `instanceId` (all pages), or undefined when the instance has none of that type. Throws what the SDK throws. */
export async function readInventoryType(client: SSMClient, instanceId: string, typeName: string, filters?: InventoryFilter[]): Promise<InventoryTypeData | undefined> {
  const pageSize = SSM_INVENTORY_ENTRIES_PAGE_SIZE;
  const input: ListInventoryEntriesCommandInput = { InstanceId: instanceId, TypeName: typeName, MaxResults: pageSize, ...(filters?.length ? { Filters: filters } : {}) };
  const content: Array<Record<string, string>> = [];
  let schemaVersion: string | undefined;
  let captureTime: string | undefined;
  for await (const page of paginateListInventoryEntries({ client, pageSize }, input)) {
    schemaVersion ??= page.SchemaVersion;
    captureTime ??= page.CaptureTime;
    for (const entry of page.Entries ?? []) content.push({ ...entry });
  }
  if (content.length === 0 && captureTime === undefined) return undefined;
  return { TypeName: typeName, ...(schemaVersion !== undefined ? { SchemaVersion: schemaVersion } : {}), ...(captureTime !== undefined ? { CaptureTime: captureTime } : {}), Content: content };
}

/**
 * Whether a failed filtered call was refused for its filter (key, type or values): the caller then
 * reads the instance's rows unfiltered. The filter key ListInventoryEntries expects for an
 * AWS:Application attribute is not documented (docs/collectors.md), so a refusal is expected to be
 * possible: InvalidFilter / InvalidFilterKey / InvalidFilterValue / InvalidFilterOption, or a
 * ValidationException (the request's other members are always within their limits).
 */
export function isFilterRejection(error: unknown): boolean {
  const name = errorCode(error);
  return /^InvalidFilter/.test(name) || name === 'ValidationException';
}

/** Whether the caller is not allowed to call at all: asking for the next instance would only fail again. */
export function isAccessDenial(error: unknown): boolean {
  return /AccessDenied|Unauthorized|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/.test(errorCode(error));
}

function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const code = (error as { Code?: unknown; code?: unknown }).Code ?? (error as { code?: unknown }).code ?? error.name;
  return String(code ?? '');
}
