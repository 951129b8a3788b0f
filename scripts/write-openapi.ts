// Writes the OpenAPI document the API serves (GET /v1/openapi.json) to a file: indented, for linting in CI; or with
// --compact, byte for byte the body the docs function answers (infra writes it beside that function's bundle).
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../shared/api/openapi';

const [out, ...flags] = process.argv.slice(2);
if (!out || flags.some((f) => f !== '--compact'))
  throw new Error('usage: tsx scripts/write-openapi.ts <file> [--compact]');
writeFileSync(
  out,
  flags.includes('--compact') ? JSON.stringify(openApiDocument()) : `${JSON.stringify(openApiDocument(), null, 2)}\n`,
);
