import { openApiDocument } from '../../shared/api/openapi';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export const handler = areaHandler('docs', {
  getOpenApi: async () => ok(openApiDocument() as Record<string, unknown>),
});
