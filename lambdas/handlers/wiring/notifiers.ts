/**
 * The report's destinations from the environment: Slack when SLACK_WEBHOOK_SECRET_ID names the
 * secret holding the webhook URL; e-mail when EMAIL_FROM and EMAIL_TO (comma-separated) are set.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { EmailNotifier } from '../../adapters/notifiers/email-notifier';
import { SecretsManagerSecretProvider } from '../../adapters/notifiers/secrets-manager-secret-provider';
import { SlackNotifier } from '../../adapters/notifiers/slack-notifier';
import type { ReportModel } from '../../core/report/report-model';
import { EnvironmentError, listEnv, optionalEnv } from './environment';

export interface ReportNotifier {
  /** For logs and the handler's result: `slack`, `email`. */
  readonly channel: string;
  notify(model: ReportModel): Promise<unknown>;
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
    const email = new EmailNotifier({ client: new SESv2Client({}), from, to, cc: listEnv('EMAIL_CC', env) });
    notifiers.push({ channel: 'email', notify: (model) => email.notify(model) });
  } else if (from || to.length > 0) {
    throw new EnvironmentError('the report e-mail needs both EMAIL_FROM and EMAIL_TO');
  }
  return notifiers;
}
