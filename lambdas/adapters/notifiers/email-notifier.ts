/** Sends the report e-mail through SES v2 (SendEmail, Simple content: subject, HTML and text parts). */
import { SendEmailCommand, type SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { renderEmail, type EmailOptions, type RenderedEmail } from '../../core/report/render-email';
import type { ReportSummaryModel } from '../../core/report/report-model';

export interface SesV2Like {
  send(command: SendEmailCommand): Promise<SendEmailCommandOutput>;
}

export interface EmailNotifierOptions {
  client: SesV2Like;
  /** A verified SES identity, e.g. `Redis compliance <compliance@example.com>`. */
  from: string;
  to: readonly string[];
  cc?: readonly string[];
  replyTo?: readonly string[];
  configurationSetName?: string;
  render?: EmailOptions;
  /**
   * Stores the full HTML report where the e-mail can link to it and answers the link (the deployed
   * report Lambda puts it in the report bucket and presigns a GET); without it the e-mail links to
   * the model's reportUrl.
   */
  publishFullReport?: (model: ReportSummaryModel) => Promise<string>;
}

export interface EmailDelivery {
  messageId?: string;
}

export class EmailNotifier {
  constructor(private readonly options: EmailNotifierOptions) {
    if (options.to.length === 0) throw new Error('The report e-mail needs at least one recipient.');
    if (!options.from.trim()) throw new Error('The report e-mail needs a sender address.');
  }

  async notify(model: ReportSummaryModel): Promise<EmailDelivery> {
    const fullReportUrl = this.options.publishFullReport ? await this.options.publishFullReport(model) : undefined;
    return this.send(renderEmail(model, { ...this.options.render, ...(fullReportUrl !== undefined ? { fullReportUrl } : {}) }));
  }

  async send(email: RenderedEmail): Promise<EmailDelivery> {
    const { from, to, cc, replyTo, configurationSetName } = this.options;
    const output = await this.options.client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [...to], ...(cc && cc.length > 0 ? { CcAddresses: [...cc] } : {}) },
        ...(replyTo && replyTo.length > 0 ? { ReplyToAddresses: [...replyTo] } : {}),
        ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    return output.MessageId !== undefined ? { messageId: output.MessageId } : {};
  }
}
