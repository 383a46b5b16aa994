/**
 * The report's destinations from the environment: Slack when SLACK_WEBHOOK_SECRET_ID names the
 * secret holding the webhook URL; e-mail when EMAIL_FROM and EMAIL_TO (comma-separated) are set.
 * With REPORT_BUCKET_NAME the e-mail links to the full HTML report stored there under a presigned
 * GET URL valid for EMAIL_REPORT_LINK_SECONDS (default 12 hours, at most 7 days: the SigV4 limit,
 * https://docs.aws.amazon.com/cli/latest/reference/s3/presign.html). A URL signed with the Lambda
 * role's temporary credentials stops working when those credentials expire, whichever comes first
 * (https://repost.aws/knowledge-center/presigned-url-s3-bucket-expiration).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { EmailNotifier } from '../../adapters/notifiers/email-notifier';
import { SecretsManagerSecretProvider } from '../../adapters/notifiers/secrets-manager-secret-provider';
import { SlackNotifier } from '../../adapters/notifiers/slack-notifier';
import { reportObjectKey } from '../../adapters/reports/report-object-key';
import { ReportObjectStore, PRESIGNED_URL_MAX_SECONDS } from '../../adapters/reports/report-object-store';
import { renderHtml } from '../../core/report/render-html';
import type { ReportSummaryModel } from '../../core/report/report-model';

/** How long the e-mail's link to the full report works by default: 12 hours. */
export const EMAIL_REPORT_LINK_SECONDS = 12 * 3600;
import { EnvironmentError, listEnv, optionalEnv } from './environment';

export interface ReportNotifier {
  /** For logs and the handler's result: `slack`, `email`. */
  readonly channel: string;
  notify(model: ReportSummaryModel): Promise<unknown>;
}

export function notifiersFromEnv(env: NodeJS.ProcessEnv = process.env): ReportNotifier[] {
  const notifiers: ReportNotifier[] = [];
  const webhookSecretId = optionalEnv('SLACK_WEBHOOK_SECRET_ID', env);
  if (webhookSecretId) {
    const slack = new SlackNotifier({ secrets: new SecretsManagerSecretProvider({ client: new SecretsManagerClient({}) }), webhookSecretId });
    notifiers.push({ channel: 'slack', notify: (model) => slack.notify(model) });
  }
  const from = optionalEnv('EMAIL_FROM', env);
  const to = listEnv('EMAIL_TO', env);
  if (from && to.length > 0) {
    const bucket = optionalEnv('REPORT_BUCKET_NAME', env);
    const linkSeconds = optionalEnv('EMAIL_REPORT_LINK_SECONDS', env);
    const store = bucket ? new ReportObjectStore(bucket, { expiresInSeconds: linkSeconds ? Number(linkSeconds) : EMAIL_REPORT_LINK_SECONDS, maxExpiresInSeconds: PRESIGNED_URL_MAX_SECONDS }) : undefined;
    const email = new EmailNotifier({
      client: new SESv2Client({}),
      from,
      to,
      cc: listEnv('EMAIL_CC', env),
      ...(store ? { publishFullReport: async (model: ReportSummaryModel) => (await store.put(reportObjectKey(model.scan.scanId, 'html'), renderHtml(model), 'text/html; charset=utf-8')).url } : {}),
    });
    notifiers.push({ channel: 'email', notify: (model) => email.notify(model) });
  } else if (from || to.length > 0) {
    throw new EnvironmentError('the report e-mail needs both EMAIL_FROM and EMAIL_TO');
  }
  return notifiers;
}
