/**
 * Synthesizes a stack on its own, with no bootstrap resources (no asset bucket, no bootstrap
 * version parameter or rule), and returns its CloudFormation template: the body of a StackSet,
 * which member accounts deploy without being CDK-bootstrapped. The stack must hold no assets.
 *
 * The inner app writes into a temporary directory of its own (an App without `outdir` would take
 * CDK_OUTDIR, the outer `cdk synth`'s cdk.out, and add its manifest and template there), carries the
 * outer app's resource tags, and runs the same cdk-nag AwsSolutions checks as bin/app.ts, so a
 * StackSet template is checked like every other template: an unacknowledged finding stops the synth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer, Tags, Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export interface StandaloneTemplateOptions {
  /** Tags put on every resource of the template (the outer app's resourceTags). */
  readonly tags?: Record<string, string>;
}

export function renderStandaloneTemplate(build: (app: App, synthesizer: BootstraplessSynthesizer) => Stack, options: StandaloneTemplateOptions = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), 'redis-compliance-stackset-'));
  try {
    const app = new App({ analyticsReporting: false, outdir });
    for (const [key, value] of Object.entries(options.tags ?? {})) Tags.of(app).add(key, value);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = build(app, new BootstraplessSynthesizer());
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    if (artifact.assets.length > 0) throw new Error(`${stack.stackName} has file assets and cannot be a StackSet template`);
    return JSON.stringify(artifact.template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
