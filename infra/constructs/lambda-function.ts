// The one Lambda construct: Node 22 on ARM64, esbuild-minified (ES module builds preferred) with source maps,
// AWS SDK left to the runtime, Powertools configured, its own log group with a retention.
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag';

export interface AppFunctionProps {
  /** Folder under functions/ holding `handler.ts`. */
  area: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
}

/** The OpenAPI document's file name in the docs function's asset (functions/docs/handler.ts reads it). */
export const OPENAPI_DOCUMENT_FILE = 'openapi.json';

const ROOT = new URL('../../', import.meta.url).pathname;

/** One command line for a bundling hook (bash), each argument single-quoted. */
const shell = (...args: string[]) => args.map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(' ');

export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: `${ROOT}functions/${props.area}/handler.ts`,
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: `${ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `inbox-access-${props.area}`,
        POWERTOOLS_METRICS_NAMESPACE: 'InboxAccess',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings, not the sources: with --enable-source-maps Node parses the map at load,
        // and the embedded sources were most of its 2 MB (issue 19: each cold start paid for them).
        sourcesContent: false,
        target: 'node22',
        format: OutputFormat.CJS,
        // Packages' ES module builds first: esbuild tree-shakes those, not CommonJS (the SigV4 signer's @smithy/core
        // went from 128 KB to 5 KB; a teams bundle from 572 KB to 442 KB). The output stays CommonJS.
        mainFields: ['module', 'main'],
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
        // The docs function's asset carries the OpenAPI document, written at synth by the project's generator (the
        // same openApiDocument() as from source), and its handler is built to answer that file: building the
        // document at a cold start loaded zod-to-openapi and every area's schemas (~6× a bare Node start). Decided
        // here, by area, so no docs function is built without it (test/infra/docs-function.test.ts).
        ...(props.area === 'docs'
          ? {
              define: { OPENAPI_DOCUMENT_FILE: JSON.stringify(OPENAPI_DOCUMENT_FILE) },
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                // In the project root, on the Node running the synth (tsx is a dev dependency: offline).
                afterBundling: (_input: string, output: string) => [
                  shell(
                    process.execPath,
                    `${ROOT}node_modules/tsx/dist/cli.mjs`,
                    `${ROOT}scripts/write-openapi.ts`,
                    join(output, OPENAPI_DOCUMENT_FILE),
                    '--compact',
                  ),
                ],
              },
            }
          : {}),
      },
    });
    acknowledge(this, [
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The basic execution role only lets the function write its own CloudWatch Logs.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-L1',
        reason:
          'The engineering spec fixes the Node.js 22 runtime for every function; moving to a newer one is a deliberate, tested change.',
      },
    ]);
  }
}
