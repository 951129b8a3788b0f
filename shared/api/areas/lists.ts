// The schemas of the lists Lambda's routes (see shared/api/contract.ts).
import {
  Attributes,
  AttributesBody,
  OptOuts,
  OptOutsBody,
  RestrictedWords,
  RestrictedWordsBody,
} from '../../contacts/list-schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const lists = {
  getAttributes: { params: WorkspaceIdParams, status: 200, response: Attributes },
  putAttributes: { params: WorkspaceIdParams, body: AttributesBody, status: 200, response: Attributes },
  getOptOuts: { params: WorkspaceIdParams, status: 200, response: OptOuts },
  putOptOuts: { params: WorkspaceIdParams, body: OptOutsBody, status: 200, response: OptOuts },
  getRestrictedWords: { params: WorkspaceIdParams, status: 200, response: RestrictedWords },
  putRestrictedWords: { params: WorkspaceIdParams, body: RestrictedWordsBody, status: 200, response: RestrictedWords },
} as const satisfies AreaContract<'lists'>;
