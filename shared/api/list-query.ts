import { PageQuery } from '../db/pagination';

/** `?limit=&cursor=` on every list (API.md). */
export const ListQuery = PageQuery.strict();
