/**
 * After a scan: import its findings into Security Hub and publish the finding-change events, when
 * the deployment turned them on (securityHub.enabled / findingEvents.enabled in the app config,
 * which the stack passes as SECURITY_HUB_IMPORT / FINDING_EVENTS). Each exporter reports what it
 * did; a failure is logged (ERROR "finding export failed") and returned in the scan outcome, and
 * never undoes the recorded scan.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { publishFindingChanges } from '../../adapters/events/finding-change-publisher';
import type { SecurityHubClientsOptions } from '../../adapters/securityhub/security-hub-clients';
import type { ImportOutcome, SecurityHubImporter } from '../../adapters/securityhub/security-hub-importer';
import type { AsffFinding } from '../../core/export/asff';
import { toAsffFinding } from '../../core/export/asff';
import { exportItems, statesAfterScan } from '../../core/export/export-items';
import type { ExportedPairsAfterScan } from '../../core/export/exported-pairs';
import { findingChangeEvents } from '../../core/export/finding-change-event';
import type { FindingState } from '../../core/finding-states';
import type { FindingChanges, StoredFinding } from '../../core/model';
import { optionalEnv, requiredEnv } from './environment';

export interface FindingExportInput {
  scanId: string;
  /** The scan's time, as the finding states record it. */
  at: string;
  findings: readonly StoredFinding[];
  previousStates: readonly FindingState[];
  writtenStates: readonly FindingState[];
  changes: FindingChanges;
  /** The exported pairs after this scan (present and gone), when they are tracked. */
  exported?: Pick<ExportedPairsAfterScan, 'present' | 'gone'>;
}

export interface FindingExportReport {
  exporter: string;
  ok: boolean;
  /** Counts of what was sent, failed and skipped. */
  summary: Record<string, number>;
  /** Why it is not ok (first failures), when it is not. */
  problems: string[];
}

export interface FindingExporter {
  readonly name: string;
  export(input: FindingExportInput): Promise<FindingExportReport>;
}

export class SecurityHubExporter implements FindingExporter {
  readonly name = 'securityHub';
  constructor(private readonly importer: Pick<SecurityHubImporter, 'import'>) {}

  async export(input: FindingExportInput): Promise<FindingExportReport> {
    const items = exportItems(input.findings, statesAfterScan(input.previousStates, input.writtenStates), { scanId: input.scanId, at: input.at }, input.exported);
    const outcome: ImportOutcome = await this.importer.import(items.map(toAsffFinding));
    const skipped = outcome.skipped.reduce((n, s) => n + s.count, 0);
    return {
      exporter: this.name,
      ok: outcome.failed.length === 0 && skipped === 0,
      summary: { total: outcome.total, imported: outcome.imported, failed: outcome.failed.length, skipped, calls: outcome.calls, throttledRetries: outcome.throttledRetries },
      problems: [
        ...outcome.failed.slice(0, 20).map((f) => `${f.id}: ${f.errorCode} ${f.errorMessage}`),
        ...outcome.skipped.map((s) => `${s.count} findings of ${s.accountId} ${s.region} skipped: ${s.reason}`),
      ],
    };
  }
}

export class FindingEventsExporter implements FindingExporter {
  readonly name = 'findingEvents';
  constructor(private readonly client: EventBridgeClient, private readonly eventBusName: string) {}

  async export(input: FindingExportInput): Promise<FindingExportReport> {
    const details = findingChangeEvents({ previousStates: input.previousStates, findings: input.findings, changes: input.changes, states: input.writtenStates, scan: { scanId: input.scanId, at: input.at } });
    const outcome = await publishFindingChanges(this.client, this.eventBusName, details);
    return {
      exporter: this.name,
      ok: outcome.failed.length === 0,
      summary: { events: details.length, sent: outcome.sent, failed: outcome.failed.length, calls: outcome.calls, retriedEntries: outcome.retriedEntries },
      problems: outcome.failed.slice(0, 20).map((f) => `${f.errorCode} ${f.errorMessage}`),
    };
  }
}

/** Runs every exporter; one that throws is reported as failed and the others still run. */
export async function runFindingExports(exporters: readonly FindingExporter[], input: FindingExportInput): Promise<FindingExportReport[]> {
  const reports: FindingExportReport[] = [];
  for (const exporter of exporters) {
    try {
      reports.push(await exporter.export(input));
    } catch (error) {
      reports.push({ exporter: exporter.name, ok: false, summary: {}, problems: [`${(error as Error).name}: ${(error as Error).message}`] });
    }
  }
  return reports;
}

/** The exporters the environment turns on: SECURITY_HUB_IMPORT=enabled, FINDING_EVENTS=enabled. */
export function findingExportersFromEnv(env: NodeJS.ProcessEnv = process.env): FindingExporter[] {
  const exporters: FindingExporter[] = [];
  if (optionalEnv('SECURITY_HUB_IMPORT', env) === 'enabled') {
    const memberRoleName = optionalEnv('SECURITY_HUB_MEMBER_ROLE_NAME', env);
    const externalId = optionalEnv('READER_EXTERNAL_ID', env);
    exporters.push(new SecurityHubExporter(deferredSecurityHubImporter({
      scannerAccountId: requiredEnv('SCANNER_ACCOUNT_ID', env),
      ...(memberRoleName ? { memberRoleName } : {}),
      ...(externalId ? { externalId } : {}),
    })));
  }
  if (optionalEnv('FINDING_EVENTS', env) === 'enabled') {
    exporters.push(new FindingEventsExporter(new EventBridgeClient({}), requiredEnv('EVENT_BUS_NAME', env)));
  }
  return exporters;
}

/**
 * A Security Hub importer whose code (the Security Hub client, its ASFF schemas, the member-account
 * credentials) is loaded on its first import, after a scan, not at the Lambda's cold start: a chunk of
 * its own in the bundle (code splitting), never loaded while the export is off.
 */
export function deferredSecurityHubImporter(options: SecurityHubClientsOptions): Pick<SecurityHubImporter, 'import'> {
  let importer: Promise<Pick<SecurityHubImporter, 'import'>> | undefined;
  return {
    async import(findings: readonly AsffFinding[]) {
      importer ??= Promise.all([import('../../adapters/securityhub/security-hub-importer.js'), import('../../adapters/securityhub/security-hub-clients.js')]).then(
        ([{ SecurityHubImporter: Importer }, { securityHubClients }]) => new Importer(securityHubClients(options)),
      );
      return (await importer).import(findings);
    },
  };
}
