// The REST API, generated from the route table: one Lambda per area, every method behind the REQUEST
// authorizer (except the public OpenAPI document), gateway responses in the contract's error body.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  type Resource,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { TABLE } from '../../shared/db/table';
import { GATEWAY_RESPONSES } from '../../shared/http/gateway-responses';
import { type Area, routes, usesAuthorizer } from '../../shared/routes';
import type { DeployConfig } from '../config';
import { AppFunction } from '../constructs/lambda-function';
import { acknowledge } from '../nag';

type IndexName = (typeof TABLE.indexes)[number]['name'];

/**
 * What each area's Lambda may do with the table (`items`) and which indexes it may Query: least privilege,
 * decided here once. An index is listed only where the area's code queries it (test/infra checks this against
 * each handler's bundle): GSI1 for members of a role, conversation and contact lists, access requests by status
 * and audit entries by target. GSI2 (keys only: grant expiry, release markers, the workspace directory) is read
 * by the jobs alone, so no API function may touch it.
 */
// Keyed by the route table's areas: a new area does not compile until its table access is declared.
export const TABLE_ACCESS: Record<Area, { items: 'none' | 'read' | 'readWrite'; indexes: readonly IndexName[] }> = {
  docs: { items: 'none', indexes: [] },
  permissions: { items: 'none', indexes: [] },
  // A plan downgrade moves the holders of surplus roles (members of a role: GSI1).
  workspaces: { items: 'readWrite', indexes: ['GSI1'] },
  // Deleting a role with ?reassignTo= moves its members (GSI1).
  roles: { items: 'readWrite', indexes: ['GSI1'] },
  authz: { items: 'read', indexes: [] },
  // ?roleId= filters, access requests by status, a deactivated member's conversations (GSI1).
  members: { items: 'readWrite', indexes: ['GSI1'] },
  audit: { items: 'read', indexes: [] },
  billing: { items: 'read', indexes: [] },
  invitations: { items: 'readWrite', indexes: [] },
  // Leaving a team or deleting it releases what its members lose reach to (their assignments: GSI1).
  teams: { items: 'readWrite', indexes: ['GSI1'] },
  // A company admin removed loses the assignments only its exemption let it work in (its assignments: GSI1).
  organizations: { items: 'readWrite', indexes: ['GSI1'] },
  // Turning an inbox private releases what its assignees lose reach to (their assignments: GSI1).
  inboxes: { items: 'readWrite', indexes: ['GSI1'] },
  // An inbox's conversations, "assigned to me", scheduled messages (GSI1).
  conversations: { items: 'readWrite', indexes: ['GSI1'] },
  // A key whose role needs approval opens an access request, which reads the open requests by status (GSI1).
  'api-keys': { items: 'readWrite', indexes: ['GSI1'] },
  // A token whose ceiling needs approval opens an access request, which reads open requests by status (GSI1).
  'scim-tokens': { items: 'readWrite', indexes: ['GSI1'] },
  // SCIM deactivation and removal release the member's conversations (GSI1), as the members area does.
  scim: { items: 'readWrite', indexes: ['GSI1'] },
  // Questions about access (AuthZEN, simulations, the access review): they only read.
  authzen: { items: 'read', indexes: [] },
  // The newest audit entry about each member, key, role or team (GSI1 by target); members of a role.
  'access-review': { items: 'read', indexes: ['GSI1'] },
  // A `private` viewer's contacts: by creator and by inbox talked to (GSI1).
  contacts: { items: 'readWrite', indexes: ['GSI1'] },
  lists: { items: 'readWrite', indexes: [] },
  tags: { items: 'readWrite', indexes: [] },
  analytics: { items: 'read', indexes: [] },
};

export interface ApiStackProps extends StackProps {
  table: ITableV2;
  config: DeployConfig;
  /** HMAC key of invitation tokens: the invitations area derives token hashes with it. */
  tokenSecret: ISecret;
}

export class ApiStack extends Stack {
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { table, config, tokenSecret } = props;
    const tableEnv = { TABLE_NAME: table.tableName };

    const authorizerFn = new AppFunction(this, 'AuthorizerFn', {
      area: 'authorizer',
      memorySize: 1024,
      timeout: Duration.seconds(5),
      environment: {
        ...tableEnv,
        AUTH_ISSUER: config.auth.issuer,
        AUTH_AUDIENCE: config.auth.audience,
        AUTH_JWKS_URL: config.auth.jwksUrl,
        AUTH_ALGORITHMS: config.auth.algorithms,
        AUTH_CACHE_TTL_SECONDS: String(config.authorizerCacheTtlSeconds),
      },
    });
    // The authorizer reads exactly one batch per decision. Only when a signed-in user has no standing in the
    // workspace it calls does it look for a member an identity provider provisioned for its verified email (a
    // Query of that email's bind items alone) and bind it in one transaction (shared/scim/bind.ts): the first
    // request binds, whatever the route.
    authorizerFn.addToRolePolicy(
      // GetItem: the access loader's second read (a custom role not guessed in the batch, a key's owner or record).
      new PolicyStatement({ actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: [table.tableArn] }),
    );
    authorizerFn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SCIMBIND#*'] } },
      }),
    );
    authorizerFn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SCIMBIND#*', 'USER#*', 'WS#*'] } },
      }),
    );

    const authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: authorizerFn,
      // The cache key holds every input a decision depends on: the token, the verb, the route and the
      // concrete path (which carries the workspace id). Allow policies are scoped to the exact method ARN.
      identitySources: [
        IdentitySource.header('Authorization'),
        IdentitySource.context('httpMethod'),
        IdentitySource.context('resourcePath'),
        IdentitySource.context('path'),
      ],
      resultsCacheTtl: Duration.seconds(config.authorizerCacheTtlSeconds),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.api = new RestApi(this, 'Api', {
      restApiName: 'inbox-access',
      description: 'Access control and team management for the shared inbox',
      cloudWatchRole: true,
      deployOptions: {
        stageName: config.stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: config.throttle.rateLimit,
        throttlingBurstLimit: config.throttle.burstLimit,
      },
      defaultMethodOptions: { authorizer, authorizationType: AuthorizationType.CUSTOM },
    });

    for (const [type, def] of Object.entries(GATEWAY_RESPONSES)) {
      const responseHeaders: Record<string, string> = { 'Content-Type': "'application/json'" };
      for (const [k, v] of Object.entries(def.headers ?? {})) responseHeaders[k] = `'${v}'`;
      this.api.addGatewayResponse(`Gw${type}`, {
        type: ResponseType.of(type),
        statusCode: String(def.statusCode),
        templates: { 'application/json': def.template },
        responseHeaders,
      });
    }

    const functions = new Map<string, AppFunction>();
    const fnFor = (area: Area) => {
      let fn = functions.get(area);
      if (fn) return fn;
      const access = TABLE_ACCESS[area];
      // Members too: approving an invitation request (requireApprovalFor) sends the invitation.
      const needsSecret = area === 'invitations' || area === 'members';
      fn = new AppFunction(this, `${pascal(area)}Fn`, {
        area,
        environment: { ...tableEnv, ...(needsSecret ? { INVITE_TOKEN_SECRET_ARN: tokenSecret.secretArn } : {}) },
      });
      for (const statement of tablePolicy(table, access)) fn.addToRolePolicy(statement);
      if (needsSecret) tokenSecret.grantRead(fn);
      functions.set(area, fn);
      return fn;
    };

    const resources = new Map<string, Resource>();
    const resourceFor = (path: string): Resource => {
      const found = resources.get(path);
      if (found) return found;
      let node = this.api.root as Resource;
      let sofar = '';
      for (const part of path.split('/').filter(Boolean)) {
        sofar += `/${part}`;
        node = resources.get(sofar) ?? node.addResource(part);
        resources.set(sofar, node);
      }
      return node;
    };

    // One integration per function, its invoke permission scoped to this API (not one permission per method):
    // a stack holds at most 500 resources, and a permission per route was a quarter of them. The function
    // serves only its area's routes whatever the method ARN, so the narrower scope bought nothing.
    const integrations = new Map<Area, LambdaIntegration>();
    const integrationFor = (area: Area) => {
      let integration = integrations.get(area);
      if (!integration) {
        integration = new LambdaIntegration(fnFor(area), { scopePermissionToMethod: false });
        integrations.set(area, integration);
      }
      return integration;
    };

    for (const route of routes) {
      const integration = integrationFor(route.fn);
      const isPublic = route.access.kind === 'public';
      // SCIM routes: the handler checks the scim_ token, so its 401 is in SCIM's error schema (gateway
      // responses are per API and answer in this API's contract).
      const method = resourceFor(route.path).addMethod(route.method, integration, {
        operationName: route.id,
        ...(usesAuthorizer(route) ? {} : { authorizationType: AuthorizationType.NONE, authorizer: undefined }),
      });
      if (route.access.kind === 'scim') {
        acknowledge(method, [
          {
            id: 'AwsSolutions-APIG4',
            reason: 'SCIM 2.0: the handler authenticates the workspace SCIM token (scim_…) and answers in SCIM errors.',
          },
          {
            id: 'AwsSolutions-COG4',
            reason: 'SCIM 2.0: the handler authenticates the workspace SCIM token (scim_…) and answers in SCIM errors.',
          },
        ]);
      }
      if (isPublic) {
        acknowledge(method, [
          {
            id: 'AwsSolutions-APIG4',
            reason: 'Public documentation (the OpenAPI document, AuthZEN PDP metadata): holds no data.',
          },
          {
            id: 'AwsSolutions-COG4',
            reason: 'Public documentation (the OpenAPI document, AuthZEN PDP metadata): holds no data.',
          },
        ]);
      }
    }

    acknowledge(this, [
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers bring JWTs from any OIDC issuer (Cognito included) or API keys; a REQUEST Lambda authorizer verifies both.',
      },
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Every request is validated by zod in the handler so that refusals carry the contract error body with issues.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason: 'WAF is attached per environment by the platform team, outside this stack.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'API Gateway execution logging needs the account-level push role, which AWS only offers as this managed policy.',
      },
    ]);
  }
}

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * The item-level actions the area needs on the table itself, and Query alone on the indexes it reads (named,
 * never `index/*`).
 */
function tablePolicy(table: ITableV2, access: (typeof TABLE_ACCESS)[Area]): PolicyStatement[] {
  return [
    ...(access.items === 'none'
      ? []
      : [
          new PolicyStatement({
            actions: access.items === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS],
            resources: [table.tableArn],
          }),
        ]),
    ...(access.indexes.length === 0
      ? []
      : [
          new PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: access.indexes.map((name) => `${table.tableArn}/index/${name}`),
          }),
        ]),
  ];
}

function pascal(s: string): string {
  return s.replace(/(^|[-_])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
}
