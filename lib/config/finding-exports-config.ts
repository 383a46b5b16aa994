/**
 * Opt-in exports of the deployed scanner: Security Hub import and the finding-change events
 * (keys `securityHub` and `findingEvents` of the app config).
 */
import { z } from 'zod';

/** IAM role names: 1-64 characters of [\w+=,.@-]. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export const SecurityHubExportSchema = z.strictObject({
  /** Import every scan's findings into Security Hub (custom integration, BatchImportFindings). Needs Security Hub enabled in each target region. */
  enabled: z.boolean().default(false),
  /**
   * A role in each member account the scanner assumes to import that account's findings into its
   * own hub (BatchImportFindings must be called by the finding's account). Without it only the
   * scanner account's findings are imported; the others are reported as skipped.
   */
  memberRoleName: z.string().regex(ROLE_NAME, 'an IAM role name: 1-64 characters of letters, digits and +=,.@_-').optional(),
});

export const FindingEventsSchema = z.strictObject({
  /** Publish `Redis Compliance Finding Changed` events (new failure, resolved, waiver expired) on the scanner's event bus. */
  enabled: z.boolean().default(false),
});
