import { ulid } from 'ulid';

/** Our ids: a short type prefix and a ULID (sortable by creation time), e.g. `ws_01J…`. */
export const newId = (prefix: string) => `${prefix}_${ulid()}`;
