import { audit } from '../../shared/api/areas/audit';
import { auditPage, exportAudit } from '../../shared/audit/service';
import { areaHandler } from '../../shared/http/middleware';
import { ok, rawOk } from '../../shared/http/responses';

export const handler = areaHandler('audit', audit, {
  listAuditLog: async ({ access, query }) => ok(await auditPage(await access(), query)),
  exportAuditLog: async ({ access, query }) => rawOk(await exportAudit(await access(), query.format)),
});
