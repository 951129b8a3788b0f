// Writes the OpenAPI document the API serves (GET /v1/openapi.json) to a file, for linting in CI.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../shared/api/openapi';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/write-openapi.ts <file>');
writeFileSync(out, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
