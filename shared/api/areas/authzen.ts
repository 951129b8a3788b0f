// The schemas of the authzen Lambda's routes (see shared/api/contract.ts).
import {
  ActionSearchRequest,
  ActionSearchResponse,
  Decision as AuthzenDecision,
  DiscoveryParams,
  EntitySearchResponse,
  EvaluationRequest,
  EvaluationsRequest,
  EvaluationsResponse,
  PdpMetadata,
  ResourceSearchRequest,
  SubjectSearchRequest,
} from '../../authzen/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const authzen = {
  authzenEvaluation: { params: WorkspaceIdParams, body: EvaluationRequest, status: 200, response: AuthzenDecision },
  authzenEvaluations: {
    params: WorkspaceIdParams,
    body: EvaluationsRequest,
    status: 200,
    response: EvaluationsResponse,
  },
  authzenSearchSubject: {
    params: WorkspaceIdParams,
    body: SubjectSearchRequest,
    status: 200,
    response: EntitySearchResponse,
  },
  authzenSearchResource: {
    params: WorkspaceIdParams,
    body: ResourceSearchRequest,
    status: 200,
    response: EntitySearchResponse,
  },
  authzenSearchAction: {
    params: WorkspaceIdParams,
    body: ActionSearchRequest,
    status: 200,
    response: ActionSearchResponse,
  },
  authzenConfiguration: { params: DiscoveryParams, status: 200, response: PdpMetadata },
} as const satisfies AreaContract<'authzen'>;
