// SCIM's wire format (RFC 7643/7644): schemas URNs, ListResponse, meta and weak ETags, paging parameters.
import { invalidValue } from './errors';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export interface ResourceBase {
  schemas: string[];
  id: string;
  meta: { resourceType: string; created: string; lastModified: string; location: string; version: string };
}

/** A weak ETag of the versions a resource is made of (its SCIM item and its member or team). */
export const etagOf = (...versions: number[]) => `W/"${versions.join('.')}"`;

export interface ListParams {
  filter?: string;
  startIndex: number;
  count: number;
  excludeMembers: boolean;
}

export const MAX_COUNT = 1000;
export const DEFAULT_COUNT = 100;

/** `?filter=&startIndex=&count=&excludedAttributes=` (RFC 7644 §3.4.2): startIndex < 1 is 1, count < 0 is 0. */
export function listParams(query: Record<string, string | undefined> | null | undefined): ListParams {
  const q = query ?? {};
  const int = (v: string | undefined, what: string, fallback: number) => {
    if (v === undefined || v === '') return fallback;
    if (!/^-?\d{1,9}$/.test(v)) throw invalidValue(`${what} must be an integer`);
    return Number(v);
  };
  const startIndex = Math.max(1, int(q.startIndex, 'startIndex', 1));
  const count = Math.min(MAX_COUNT, Math.max(0, int(q.count, 'count', DEFAULT_COUNT)));
  const excluded = (q.excludedAttributes ?? '').split(',').map((a) => a.trim().toLowerCase());
  return {
    ...(q.filter ? { filter: q.filter } : {}),
    startIndex,
    count,
    excludeMembers: excluded.includes('members') || excluded.includes(`${GROUP_SCHEMA.toLowerCase()}:members`),
  };
}

export function listResponse<T>(resources: T[], totalResults: number, startIndex: number) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
