// cdk-nag (v3) reports through CDK's native policy validation; findings are acknowledged with
// `Validations.of(construct).acknowledge()`. Each acknowledgement states why the rule does not apply.
import { createRequire } from 'node:module';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

// A CommonJS (jsii) package whose named exports Node's ESM loader cannot see: load it once here.
const cdkNag = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');

export const { AwsSolutionsChecks } = cdkNag;

export function acknowledge(scope: IConstruct, findings: { id: string; reason: string }[]): void {
  for (const f of findings) Validations.of(scope).acknowledge(f);
}
