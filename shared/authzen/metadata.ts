/** PDP metadata (AuthZEN 1.0 §Policy Decision Point Metadata): public, the same for any workspace id. */
export function pdpMetadata(origin: string, wsId: string) {
  const pdp = `${origin}/v1/workspaces/${encodeURIComponent(wsId)}`;
  return {
    policy_decision_point: pdp,
    access_evaluation_endpoint: `${pdp}/access/v1/evaluation`,
    access_evaluations_endpoint: `${pdp}/access/v1/evaluations`,
    search_subject_endpoint: `${pdp}/access/v1/search/subject`,
    search_resource_endpoint: `${pdp}/access/v1/search/resource`,
    search_action_endpoint: `${pdp}/access/v1/search/action`,
  };
}
