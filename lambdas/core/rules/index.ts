/** Every requirement rule, in report order. */
import type { RuleDefinition } from './rule';

export const RULES: readonly RuleDefinition[] = [
];
