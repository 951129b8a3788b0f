// OpenID AuthZEN Authorization API 1.0 (final text: openid/authzen api/authorization-api-1_0.md), as served
// per workspace (PDP base `/v1/workspaces/{ws}`). The 1.0 text says receivers MUST ignore unknown fields,
// so these objects are not strict (unknown keys are dropped); a missing or mistyped required member is 400.
import * as z from 'zod';

/** Subject types this PDP answers for: a member by member id, a user by user id, an API key by key id. */
export const SUBJECT_TYPES = ['member', 'user', 'api_key'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
/** Resource types: what the rest of the platform asks about. */
export const RESOURCE_TYPES = ['workspace', 'inbox', 'conversation', 'contact', 'role', 'member'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

const Id = z.string().min(1).max(256);
const TypeName = z.string().min(1).max(64);
const Properties = z.record(z.string(), z.unknown());

export const Subject = z
  .object({ type: TypeName, id: Id, properties: Properties.optional() })
  .meta({ id: 'AuthzenSubject', example: { type: 'member', id: 'mem_01J…' } });
export const Resource = z
  .object({ type: TypeName, id: Id, properties: Properties.optional() })
  .meta({ id: 'AuthzenResource', example: { type: 'inbox', id: 'inbox_01J…' } });
export const Action = z
  .object({ name: z.string().min(1).max(128), properties: Properties.optional() })
  .meta({ id: 'AuthzenAction', example: { name: 'messages.view' } });
export const Context = Properties.meta({ id: 'AuthzenContext' });

export type Subject = z.infer<typeof Subject>;
export type Resource = z.infer<typeof Resource>;
export type Action = z.infer<typeof Action>;

export const EvaluationRequest = z
  .object({ subject: Subject, action: Action, resource: Resource, context: Context.optional() })
  .meta({ id: 'AuthzenEvaluationRequest' });
export type EvaluationRequest = z.infer<typeof EvaluationRequest>;

/** Most items in one batch: a batch costs one read of the workspace's data whatever it asks. */
export const MAX_EVALUATIONS = 100;

export const SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;

const EvaluationItem = z.object({
  subject: Subject.optional(),
  action: Action.optional(),
  resource: Resource.optional(),
  context: Context.optional(),
});

export const EvaluationsRequest = z
  .object({
    subject: Subject.optional(),
    action: Action.optional(),
    resource: Resource.optional(),
    context: Context.optional(),
    evaluations: z.array(EvaluationItem).max(MAX_EVALUATIONS).optional(),
    options: z
      .object({ evaluations_semantic: z.enum(SEMANTICS).optional() })
      .loose()
      .optional(),
  })
  .superRefine((b, ctx) => {
    // Top-level values are defaults; each item must end up with a subject, an action and a resource.
    const items = b.evaluations && b.evaluations.length > 0 ? b.evaluations : [{}];
    items.forEach((item, i) => {
      for (const key of ['subject', 'action', 'resource'] as const) {
        if (item[key] === undefined && b[key] === undefined) {
          const path = b.evaluations && b.evaluations.length > 0 ? ['evaluations', i, key] : [key];
          ctx.addIssue({ code: 'custom', path, message: `Required here or as a top-level default` });
        }
      }
    });
  })
  .meta({ id: 'AuthzenEvaluationsRequest' });
export type EvaluationsRequest = z.infer<typeof EvaluationsRequest>;

export const DecisionContext = z
  .object({
    reason: z.string(),
    permission: z.string().optional(),
    exceeds: z
      .array(
        z.object({
          permission: z.string(),
          requested: z.union([z.literal(true), z.string()]),
          held: z.union([z.literal(true), z.string()]).nullable(),
        }),
      )
      .optional(),
    plan_limit: z.object({ feature: z.string() }).optional(),
    error: z.object({ status: z.number().int(), message: z.string() }).optional(),
  })
  .meta({ id: 'AuthzenDecisionContext' });
export type DecisionContext = z.infer<typeof DecisionContext>;

/** A permit is `{decision: true}` alone (a PEP may reject a permit whose context it does not understand). */
export const Decision = z
  .object({ decision: z.boolean(), context: DecisionContext.optional() })
  .meta({ id: 'AuthzenDecision' });
export type Decision = z.infer<typeof Decision>;

export const EvaluationsResponse = z
  .object({
    evaluations: z.array(Decision).optional(),
    decision: z.boolean().optional(),
    context: DecisionContext.optional(),
  })
  .meta({ id: 'AuthzenEvaluationsResponse' });

const PageRequest = z
  .object({
    token: z.string().min(1).max(4096).optional(),
    limit: z.number().int().min(0).max(1_000_000).optional(),
    properties: Properties.optional(),
  })
  .optional();

const TypeOnly = z.object({ type: TypeName, id: Id.optional(), properties: Properties.optional() });

export const SubjectSearchRequest = z
  .object({ subject: TypeOnly, action: Action, resource: Resource, context: Context.optional(), page: PageRequest })
  .meta({ id: 'AuthzenSubjectSearchRequest' });
export const ResourceSearchRequest = z
  .object({ subject: Subject, action: Action, resource: TypeOnly, context: Context.optional(), page: PageRequest })
  .meta({ id: 'AuthzenResourceSearchRequest' });
export const ActionSearchRequest = z
  .object({ subject: Subject, resource: Resource, context: Context.optional(), page: PageRequest })
  .meta({ id: 'AuthzenActionSearchRequest' });
export type SubjectSearchRequest = z.infer<typeof SubjectSearchRequest>;
export type ResourceSearchRequest = z.infer<typeof ResourceSearchRequest>;
export type ActionSearchRequest = z.infer<typeof ActionSearchRequest>;

const PageResponse = z.object({
  next_token: z.string(),
  count: z.number().int().optional(),
  total: z.number().int().optional(),
});
export const EntitySearchResponse = z
  .object({ page: PageResponse, results: z.array(z.object({ type: z.string(), id: z.string() })) })
  .meta({ id: 'AuthzenEntitySearchResponse' });
export const ActionSearchResponse = z
  .object({ page: PageResponse, results: z.array(z.object({ name: z.string() })) })
  .meta({ id: 'AuthzenActionSearchResponse' });

export const DiscoveryParams = z.object({ ws: z.string().min(1).max(64) });
export const PdpMetadata = z
  .object({
    policy_decision_point: z.string(),
    access_evaluation_endpoint: z.string(),
    access_evaluations_endpoint: z.string(),
    search_subject_endpoint: z.string(),
    search_resource_endpoint: z.string(),
    search_action_endpoint: z.string(),
  })
  .meta({ id: 'AuthzenPdpMetadata' });
