// The docs function as a deploy ships it: its asset, bundled as `cdk synth` bundles it, carries the OpenAPI
// document written at synth, and the bundle answers that file instead of building the document at each cold start
// (issue 19). What it serves must still be openApiDocument() of this tree, byte for byte: a stale, missing or
// different document fails here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT_FILE } from '../../infra/constructs/lambda-function';
import { openApiDocument } from '../../shared/api/openapi';
import { synthFunctionInChild } from '../fixtures/synth-function';

const ROOT = new URL('../../', import.meta.url).pathname;
let asset: string;

/** Where two texts first differ, with a little context; `undefined` when they are the same bytes. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  return `lengths ${actual.length} vs ${expected.length}; at ${i}: ${JSON.stringify(actual.slice(i - 40, i + 80))} vs ${JSON.stringify(expected.slice(i - 40, i + 80))}`;
}

beforeAll(async () => {
  asset = await synthFunctionInChild(mkdtempSync(join(tmpdir(), 'cdk-docs-')), 'docs');
}, 300_000);

/** Loads the bundle in a fresh Node process (CommonJS, outside the repository, as Lambda does) and invokes it once. */
async function invoke(event: unknown): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const runner = join(asset, '..', 'invoke-docs.cjs');
  writeFileSync(
    runner,
    `require(${JSON.stringify(join(asset, 'index.js'))}).handler(${JSON.stringify(event)}, { functionName: 'docs',
      awsRequestId: 'test', getRemainingTimeInMillis: () => 29000 }).then((r) => process.stdout.write(JSON.stringify(r)));`,
  );
  // The AWS SDK is left to the Lambda runtime (external to bundles): the project's copy stands in for it.
  const { stdout } = await promisify(execFile)(process.execPath, [runner], {
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), AWS_REGION: 'eu-west-1', TABLE_NAME: 'unused' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

describe('docs function bundle', () => {
  it('carries the OpenAPI document of this tree, byte for byte', () => {
    const carried = readFileSync(join(asset, OPENAPI_DOCUMENT_FILE), 'utf8');
    expect(firstDifference(carried, JSON.stringify(openApiDocument()))).toBeUndefined();
  });

  it('answers GET /v1/openapi.json with it, from a bundle that no longer carries the generator or the schemas', async () => {
    const res = await invoke({
      resource: '/v1/openapi.json',
      path: '/v1/openapi.json',
      httpMethod: 'GET',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'test', httpMethod: 'GET', resourcePath: '/v1/openapi.json', stage: 'prod' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(firstDifference(res.body, JSON.stringify(openApiDocument()))).toBeUndefined();
    // What the bundle was built from (its source map): no generator, no contract, no other area's schemas.
    const sources = (JSON.parse(readFileSync(join(asset, 'index.js.map'), 'utf8')) as { sources: string[] }).sources;
    expect(
      sources.filter((s) =>
        /zod-to-openapi|shared\/api\/(openapi|contract)\.ts|shared\/api\/areas\/(?!docs\.ts|area\.ts)/.test(s),
      ),
    ).toEqual([]);
  });
});
