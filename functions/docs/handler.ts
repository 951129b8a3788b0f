import { docs } from '../../shared/api/areas/docs';
import { openApiDocument } from '../../shared/api/openapi';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export const handler = areaHandler('docs', docs, {
  getOpenApi: async () => ok(openApiDocument() as Record<string, unknown>),
});
