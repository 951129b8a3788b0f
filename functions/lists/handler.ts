import { lists } from '../../shared/api/areas/lists';
import {
  getAttributes,
  getOptOuts,
  getRestrictedWords,
  putAttributes,
  putOptOuts,
  putRestrictedWords,
} from '../../shared/contacts/list-service';
import { areaHandler } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export const handler = areaHandler('lists', lists, {
  getAttributes: async ({ access }) => ok(await getAttributes(await access())),
  putAttributes: async ({ access, body }) => ok(await putAttributes(await access(), body.attributes)),
  getOptOuts: async ({ access }) => ok(await getOptOuts(await access())),
  putOptOuts: async ({ access, body }) => ok(await putOptOuts(await access(), body.contactIds)),
  getRestrictedWords: async ({ access }) => ok(await getRestrictedWords(await access())),
  putRestrictedWords: async ({ access, body }) => ok(await putRestrictedWords(await access(), body.words)),
});
