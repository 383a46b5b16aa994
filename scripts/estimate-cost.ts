/**
 * Prints the cost tables of docs/cost.md: `npx tsx scripts/estimate-cost.ts`. Synthesizes the CDK
 * app (no AWS access, no bundling) to count its resources, then prices the two example estates.
 */
import { buildTestApp } from '../test/infra/app-fixture';
import { costTables, deployedResources } from './cost-model';

const { app } = buildTestApp({ fanOut: { enabled: true }, report: { slack: true, sender: 'compliance@example.com', recipients: ['ops@example.com'] } });
const assembly = app.synth();
console.log(costTables(deployedResources(assembly.stacks.map((s) => s.template))));
