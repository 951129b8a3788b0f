// GET /v1/openapi.json. Building the document takes zod-to-openapi and every area's schemas: loaded at a cold start,
// that made this function the slowest to start (~6× a bare Node process). So the deployed bundle answers the document
// infra wrote beside it at synth (infra/constructs/lambda-function.ts: scripts/write-openapi.ts, the same
// openApiDocument()), read once at load; esbuild drops the other branch, and with it the generator and the schemas.
// Run from source (local server, tests), the handler builds the document on first use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docs } from '../../shared/api/areas/docs';
import { areaHandler } from '../../shared/http/middleware';
import { type Result, rawOk } from '../../shared/http/responses';

/** The document's file name beside the bundle: defined only in the bundle (esbuild `define`), absent from source. */
declare const OPENAPI_DOCUMENT_FILE: string | undefined;

let built: Promise<string> | undefined;
const document: () => Promise<string> =
  typeof OPENAPI_DOCUMENT_FILE === 'string'
    ? bundledDocument(OPENAPI_DOCUMENT_FILE)
    : () => {
        built ??= import('../../shared/api/openapi').then((m) => JSON.stringify(m.openApiDocument()));
        return built;
      };

function bundledDocument(file: string): () => Promise<string> {
  const body = readFileSync(join(__dirname, file), 'utf8');
  return async () => body;
}

export const handler = areaHandler('docs', docs, {
  // The document already serialized, sent as-is: the contract's object, typed as such.
  getOpenApi: async () =>
    rawOk({ body: await document(), contentType: 'application/json; charset=utf-8' }) as Result<never>,
});
