/**
 * Synthesizes a stack on its own, with no bootstrap resources (no asset bucket, no bootstrap
 * version rule), and returns its CloudFormation template: the body of a StackSet, which member
 * accounts deploy without being CDK-bootstrapped. The stack must hold no assets.
 */
import { App, BootstraplessSynthesizer, type Stack } from 'aws-cdk-lib';

export function renderStandaloneTemplate(build: (app: App, synthesizer: BootstraplessSynthesizer) => Stack): string {
  const app = new App({ analyticsReporting: false });
  const stack = build(app, new BootstraplessSynthesizer());
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  if (artifact.assets.length > 0) throw new Error(`${stack.stackName} has file assets and cannot be a StackSet template`);
  return JSON.stringify(artifact.template);
}
