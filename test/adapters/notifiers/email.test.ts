/** The e-mail notifier through a real SESv2Client to aws-ses-v2-local on 127.0.0.1. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import startSesLocal from 'aws-ses-v2-local';
import { EmailNotifier } from '../../../lambdas/adapters/notifiers/email-notifier';
import { renderEmail } from '../../../lambdas/core/report/render-email';
import { buildReportModel } from '../../../lambdas/core/report/report-model';
import { inspectHtml } from '../../support/html-inspect';
import { HOSTILE_VALUES, hostileInput, sampleInput } from '../../support/report-fixtures';

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  replyTo: string[];
  subject: string;
  body: { html?: string; text?: string };
}

describe('EmailNotifier with aws-ses-v2-local', () => {
  let ses: Server;
  let baseUrl: string;
  let client: SESv2Client;

  beforeAll(async () => {
    ses = await startSesLocal({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
    client = new SESv2Client({ endpoint: baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    ses.closeAllConnections();
    await new Promise<void>((resolve) => ses.close(() => resolve()));
  });
  beforeEach(async () => {
    const cleared = await fetch(`${baseUrl}/clear-store`, { method: 'POST' });
    expect(cleared.status).toBe(200);
  });

  async function received(): Promise<StoredEmail[]> {
    const response = await fetch(`${baseUrl}/store`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { emails: StoredEmail[] }).emails;
  }

  it('sends the subject, the HTML report and the text summary to the configured recipients', async () => {
    const model = buildReportModel(sampleInput());
    const notifier = new EmailNotifier({ client, from: 'compliance@example.com', to: ['ops@example.com', 'sre@example.com'], cc: ['audit@example.com'], replyTo: ['platform@example.com'] });
    const delivery = await notifier.notify(model);

    const emails = await received();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    const expected = renderEmail(model);
    expect(delivery.messageId).toBe(email!.messageId);
    expect(email!.from).toBe('compliance@example.com');
    expect(email!.destination.to).toEqual(['ops@example.com', 'sre@example.com']);
    expect(email!.destination.cc).toEqual(['audit@example.com']);
    expect(email!.replyTo).toEqual(['platform@example.com']);
    expect(email!.subject).toBe(expected.subject);
    expect(email!.subject).toContain('COMPLETE: 3 failing (1 critical)');
    expect(email!.body.text).toBe(expected.text);
    expect(email!.body.text).toContain('Remediation: Disassociate the public address and launch in a private subnet.');
    expect(email!.body.html).toBe(expected.html);
    expect(inspectHtml(email!.body.html!).text).toContain('Redis server has no public IP address');
    expect(email!.body.html).toContain('Open the full report');
  });

  it('links to the full report where publishFullReport stored it', async () => {
    const published: string[] = [];
    const notifier = new EmailNotifier({
      client,
      from: 'compliance@example.com',
      to: ['ops@example.com'],
      publishFullReport: async (m) => {
        published.push(m.scan.scanId);
        return 'https://reports.s3.amazonaws.com/reports/x/report.html?X-Amz-Signature=0';
      },
    });
    const model = buildReportModel(sampleInput());
    await notifier.notify(model);
    const email = (await received()).at(-1)!;
    expect(published).toEqual([model.scan.scanId]);
    expect(inspectHtml(email.body.html!).attributes).toContainEqual(['a', 'href', 'https://reports.s3.amazonaws.com/reports/x/report.html?X-Amz-Signature=0']);
    expect(email.body.text).toContain('Full report: https://reports.s3.amazonaws.com/reports/x/report.html?X-Amz-Signature=0');
  });

  it('delivers hostile tag values escaped in the HTML part and clean in the text part', async () => {
    const notifier = new EmailNotifier({ client, from: 'compliance@example.com', to: ['ops@example.com'] });
    await notifier.notify(buildReportModel(hostileInput(HOSTILE_VALUES.script)));
    const [email] = await received();
    expect(email!.body.html).not.toContain('<script>');
    expect(email!.body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(inspectHtml(email!.body.html!).tags).not.toContain('script');
    expect(email!.body.text).toContain('<script>alert(1)</script>');
  });

  it('needs recipients and a sender', () => {
    expect(() => new EmailNotifier({ client, from: 'compliance@example.com', to: [] })).toThrow('at least one recipient');
    expect(() => new EmailNotifier({ client, from: ' ', to: ['ops@example.com'] })).toThrow('sender address');
  });
});
