// The published OpenAPI document is usable by a client that validates with it.
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/openapi';

function patterns(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) patterns(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pattern' && typeof v === 'string') out.push(v);
      else patterns(v, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  it('has patterns a validating client can use: plain ECMA-262 sources, no regex flags glued on', () => {
    const found = patterns(openApiDocument());
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      expect(p, p).not.toMatch(/\/[dgimsuyv]+$/);
      expect(() => new RegExp(p, 'u')).not.toThrow();
    }
    const doc = openApiDocument() as any;
    const name = doc.paths['/v1/workspaces'].post.requestBody.content['application/json'].schema.properties.name;
    expect(new RegExp(name.pattern, 'u').test('Acme Support')).toBe(true);
    expect(new RegExp(name.pattern, 'u').test('Acme\u0000')).toBe(false);
  });

  it('lists every status a route answers on success, such as 200 for a refreshed invitation', () => {
    const doc = openApiDocument() as any;
    expect(Object.keys(doc.paths['/v1/workspaces/{ws}/invitations'].post.responses)).toEqual(
      expect.arrayContaining(['200', '201']),
    );
  });
});
