import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSES } from '../../shared/http/gateway-responses';
import { routes, usesAuthorizer } from '../../shared/routes';
import { synthInChild } from '../fixtures/synth';

let api: Template;
let data: Template;
let mail: Template;
let jobs: Template;
let report: {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; severity: string }[];
    suppressedViolations: { ruleName: string; acknowledgedId?: string }[];
  }[];
};

const templateIn = (outdir: string, stack: string) =>
  Template.fromJSON(JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')));

beforeAll(async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-'));
  // Bundling is skipped here (CI's `cdk synth` does it); the templates are otherwise the deployed ones. In a child
  // process: a synth blocking this worker for a minute makes vitest's RPC time out on a loaded machine.
  await synthInChild(outdir, { 'aws:cdk:bundling-stacks': [] });
  api = templateIn(outdir, 'InboxAccessApi');
  data = templateIn(outdir, 'InboxAccessData');
  mail = templateIn(outdir, 'InboxAccessMail');
  jobs = templateIn(outdir, 'InboxAccessJobs');
  report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
}, 300_000);

describe('API stack', () => {
  it('has one method per route, each behind the REQUEST authorizer except the public OpenAPI document', () => {
    const methods = api.findResources('AWS::ApiGateway::Method');
    const real = Object.values(methods).filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(real).toHaveLength(routes.length);
    for (const m of real) {
      const name = m.Properties.OperationName as string;
      const route = routes.find((r) => r.id === name);
      expect(route, name).toBeDefined();
      if (route && !usesAuthorizer(route)) {
        expect(m.Properties.AuthorizationType).toBe('NONE');
      } else {
        expect(m.Properties.AuthorizationType, name).toBe('CUSTOM');
        expect(m.Properties.AuthorizerId, name).toBeDefined();
      }
    }
  });

  it("lets SCIM routes reach their handler without the authorizer, so a 401 is in SCIM's error schema", () => {
    // Gateway responses are per API and answer in this API's contract ({error: {code}}): a SCIM client must get
    // {schemas: [...Error], status: "401"} instead, so the scim Lambda checks the scim_ token itself. Pinned:
    // every SCIM v2 method has no authorizer and integrates with the scim function, and no other route does.
    const methods = Object.values(api.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod !== 'OPTIONS',
    );
    const scimRoutes = routes.filter((r) => r.access.kind === 'scim');
    expect(scimRoutes.length).toBe(15);
    for (const r of scimRoutes) {
      expect(r.path.startsWith('/v1/workspaces/{ws}/scim/v2/'), r.id).toBe(true);
      const m = methods.find((x) => x.Properties.OperationName === r.id);
      expect(m?.Properties.AuthorizationType, r.id).toBe('NONE');
      expect(m?.Properties.AuthorizerId, r.id).toBeUndefined();
      expect(JSON.stringify(m?.Properties.Integration.Uri), r.id).toContain('ScimFn');
    }
    const open = methods
      .filter((m) => m.Properties.AuthorizationType === 'NONE')
      .map((m) => m.Properties.OperationName);
    const publicIds = routes.filter((r) => r.access.kind === 'public').map((r) => r.id);
    expect(open.sort()).toEqual([...publicIds, ...scimRoutes.map((r) => r.id)].sort());
  });

  it('stays well under CloudFormation’s 500 resources per stack, so routes can keep being added', () => {
    // A permission per method made the stack 446 resources at 119 routes. Now each function has one invoke
    // permission from this API, and a route costs a Method (and at most a few path Resources): the 100 left
    // here are room for ~50 more routes before anyone must split the stack.
    const count = Object.keys(api.toJSON().Resources).length;
    expect(count).toBeLessThanOrEqual(400);
    const permissions = Object.values(api.findResources('AWS::Lambda::Permission'));
    const fns = Object.keys(api.findResources('AWS::Lambda::Function'));
    expect(permissions).toHaveLength(fns.length);
    const apiId = Object.keys(api.findResources('AWS::ApiGateway::RestApi'))[0]!;
    for (const p of permissions) {
      expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
      // Only this API (its own id in the source ARN) may invoke the function.
      expect(JSON.stringify(p.Properties.SourceArn)).toContain(`{"Ref":"${apiId}"}`);
    }
  });

  it('caches authorizer answers on every input the decision depends on, for at most 60 s', () => {
    api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization,context.httpMethod,context.resourcePath,context.path',
      AuthorizerResultTtlInSeconds: Match.anyValue(),
    });
    const [auth] = Object.values(api.findResources('AWS::ApiGateway::Authorizer'));
    expect(auth?.Properties.AuthorizerResultTtlInSeconds).toBeLessThanOrEqual(60);
  });

  it('answers gateway errors in the contract body', () => {
    for (const [type, def] of Object.entries(GATEWAY_RESPONSES)) {
      api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: String(def.statusCode),
        ResponseTemplates: { 'application/json': def.template },
      });
    }
  });

  it('runs Node 22 on ARM64 with tracing, and logs access with stage throttling', () => {
    const fns = Object.values(api.findResources('AWS::Lambda::Function'));
    expect(fns.length).toBe(new Set(routes.map((r) => r.fn)).size + 1);
    for (const fn of fns) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() }),
      ]),
    });
  });

  it('lets the authorizer BatchGetItem the table, and only bind SCIM members besides; no function touch other tables', () => {
    const policies = api.findResources('AWS::IAM::Policy');
    const authorizerPolicy = Object.entries(policies).find(([id]) => id.startsWith('AuthorizerFn'))?.[1];
    expect(authorizerPolicy).toBeDefined();
    const tableStatements = (
      authorizerPolicy!.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[]
    ).filter((s) => JSON.stringify(s.Action).includes('dynamodb'));
    // Decisions: one batch read. Binding a provisioned member on its first request (shared/scim/bind.ts): a Query
    // of the bind items only, and the binding transaction's item writes on the keys it touches; no Scan, no index.
    // GetItem: shared/auth/access.ts reads a custom role the batch did not guess (first sight in a container, a role
    // change), or an API key's owner or record, with GetCommand (refused in AWS without it; Local enforces no IAM).
    expect(tableStatements.map((s) => s.Action)).toEqual([
      ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
      'dynamodb:Query',
      ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    ]);
    expect(tableStatements[1]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SCIMBIND#*'] },
    });
    expect(tableStatements[2]?.Condition).toBeDefined();
    for (const p of Object.values(policies)) {
      for (const st of p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
        const actions = ([] as string[]).concat(st.Action);
        if (actions.some((a) => a.startsWith('dynamodb:'))) {
          expect(actions).not.toContain('dynamodb:*');
          expect(JSON.stringify(st.Resource)).not.toContain('index/*');
        }
      }
    }
  });
});

/** The indexes a Lambda's code names in a Query, read from its bundle (what would be deployed, tree-shaken). */
async function indexesQueriedBy(area: string): Promise<string[]> {
  const out = await build({
    entryPoints: [new URL(`../../functions/${area}/handler.ts`, import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  return [...new Set([...code.matchAll(/IndexName:\s*["'`](\w+)["'`]/g)].map((m) => m[1] as string))].sort();
}

describe('API stack: table indexes', () => {
  it('lets each area Query exactly the indexes its code queries (GSI2, the jobs’ index, none), and only Query', async () => {
    const policies = api.findResources('AWS::IAM::Policy');
    const granted = new Map<string, string[]>();
    for (const area of new Set(routes.map((r) => r.fn))) {
      const pascal = area.replace(/(^|[-_])(\w)/g, (_m, _s, c: string) => c.toUpperCase());
      const statements = Object.entries(policies)
        .filter(([id]) => id.startsWith(`${pascal}Fn`))
        .flatMap(
          ([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
        );
      const onIndexes = statements.filter((st) => JSON.stringify(st.Resource).includes('/index/'));
      for (const st of onIndexes) expect(st.Action, area).toBe('dynamodb:Query');
      const indexes = onIndexes.flatMap((st) =>
        [...JSON.stringify(st.Resource).matchAll(/\/index\/([A-Za-z0-9*]+)/g)].map((m) => m[1] as string),
      );
      granted.set(area, [...new Set(indexes)].sort());
      expect(granted.get(area), area).toEqual(await indexesQueriedBy(area));
    }
    // As the code stands: a few areas read GSI1, none reads GSI2 (the grant sweep's and the directory's).
    expect([...granted.values()].flat()).toContain('GSI1');
    expect([...granted.values()].flat()).not.toContain('GSI2');
  }, 120_000);
});

describe('data stack', () => {
  it('keeps the table safe: PITR, deletion protection, retained, encrypted, streamed, with TTL', () => {
    data.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true }),
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('has GSI1 (all attributes) and the sparse, keys-only GSI2 the grant sweep Queries', () => {
    const [table] = Object.values(data.findResources('AWS::DynamoDB::GlobalTable'));
    const indexes = table?.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: { AttributeName: string; KeyType: string }[];
      Projection: { ProjectionType: string };
    }[];
    expect(
      indexes.map((i) => [i.IndexName, i.KeySchema.map((k) => k.AttributeName), i.Projection.ProjectionType]),
    ).toEqual([
      ['GSI1', ['GSI1PK', 'GSI1SK'], 'ALL'],
      ['GSI2', ['GSI2PK', 'GSI2SK'], 'KEYS_ONLY'],
    ]);
  });

  it('seeds the plan catalog at deploy', () => {
    const [seed] = Object.values(data.findResources('Custom::AWS'));
    const props = JSON.stringify(seed?.Properties);
    expect(props).toContain('putItem');
    expect(props).toContain('PlanCatalog');
    expect(props).toContain('unlimited');
  });
});

describe('mail stack', () => {
  it('feeds the mailer from the table stream, invitations only, with partial-batch retries and a DLQ', () => {
    mail.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: ['Invitation'] } } } }) },
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: ['AccessRequest'] } } } }) },
          {
            Pattern: JSON.stringify({
              dynamodb: { NewImage: { entity: { S: ['ScheduledMessage'] }, status: { S: ['failed'] } } },
            }),
          },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('sends only through ses:SendEmail on the identity and configuration set, and routes bounces to a handler', () => {
    const statements = Object.values(mail.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
    );
    const ses = statements.filter((st) => JSON.stringify(st.Action).includes('ses:'));
    expect(ses.length).toBe(2);
    for (const st of ses) expect(st.Action).toBe('ses:SendEmail');
    mail.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: Match.anyValue(),
      }),
    });
    mail.resourceCountIs('AWS::SNS::Subscription', 1);
    expect(Object.keys(mail.toJSON().Parameters)).toEqual(expect.arrayContaining(['SesIdentity', 'MailFrom']));
  });
});

describe('jobs stack', () => {
  const fnId = () =>
    Object.keys(jobs.findResources('AWS::Lambda::Function')).find((id) => id.startsWith('ReconcileFn'))!;

  it('runs the seat reconciliation hourly by default through EventBridge Scheduler, with a DLQ for failed runs', () => {
    const schedules = Object.values(jobs.findResources('AWS::Scheduler::Schedule')).filter((s) =>
      JSON.stringify(s.Properties.Target.Arn).includes(fnId()),
    );
    expect(schedules).toHaveLength(1);
    const props = schedules[0]!.Properties;
    expect(props.ScheduleExpression).toBe('rate(1 hour)');
    expect(props.State).not.toBe('DISABLED');
    expect(JSON.stringify(props.Target.Arn)).toContain(fnId());
    expect(JSON.parse(props.Target.Input)).toEqual({ source: 'schedule' });
    const dlqId = Object.keys(jobs.findResources('AWS::SQS::Queue'))[0]!;
    expect(JSON.stringify(props.Target.DeadLetterConfig)).toContain(dlqId);
    expect(props.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 3 });
    // A run that fails (some workspace failed) is retried by Lambda, then lands in the same DLQ.
    jobs.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    jobs.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({ BILLING_EVENT_BUS: Match.anyValue(), TABLE_NAME: Match.anyValue() }),
      },
    });
  });

  it('takes the schedule from the configuration', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-'));
    await synthInChild(outdir, { 'aws:cdk:bundling-stacks': [], reconcileSchedule: 'rate(15 minutes)' });
    const expressions = Object.values(
      templateIn(outdir, 'InboxAccessJobs').findResources('AWS::Scheduler::Schedule'),
    ).map((s) => s.Properties.ScheduleExpression);
    expect(expressions.sort()).toEqual(['rate(1 minute)', 'rate(15 minutes)', 'rate(5 minutes)']);
  }, 300_000);

  it('runs the grant sweep every 5 minutes by default, with the same DLQ, on its table only', () => {
    const sweepId = Object.keys(jobs.findResources('AWS::Lambda::Function')).find((id) =>
      id.startsWith('GrantSweepFn'),
    )!;
    expect(sweepId).toBeDefined();
    const [schedule] = Object.values(jobs.findResources('AWS::Scheduler::Schedule')).filter((s) =>
      JSON.stringify(s.Properties.Target.Arn).includes(sweepId),
    );
    expect(schedule?.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    const dlqId = Object.keys(jobs.findResources('AWS::SQS::Queue'))[0]!;
    expect(JSON.stringify(schedule?.Properties.Target.DeadLetterConfig)).toContain(dlqId);
    const actions = Object.entries(jobs.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('GrantSweepFn'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
      .flatMap((st) => ([] as string[]).concat(st.Action))
      .filter((a) => a.startsWith('dynamodb:'));
    // Exactly these: DeleteItem for a release marker that is done and a released conversation's assignee entry;
    // BatchGetItem for what a lost-reach decision reads (a reach marker's members, inboxes, company-admin grants).
    expect([...actions].sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    expect(actions.every((a) => !a.endsWith('*'))).toBe(true);
    // It finds what is due with a Query of the sparse GSI2, never a Scan of the table.
    expect(actions).not.toContain('dynamodb:Scan');
    const statements = Object.entries(jobs.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('GrantSweepFn'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const query = statements.filter((st) => ([] as string[]).concat(st.Action).includes('dynamodb:Query'));
    expect(query).toHaveLength(1);
    expect(query[0]!.Action).toBe('dynamodb:Query');
    // GSI2 (what is due), GSI1 (a released member's conversations) and the table (a workspace's members, for a
    // reach marker of too many to list), nothing else; the writes are in the other statement, which names no index.
    const indexes = JSON.stringify(query[0]!.Resource).match(/\/index\/[A-Za-z0-9*]+/g) ?? [];
    expect(indexes.sort()).toEqual(['/index/GSI1', '/index/GSI2']);
    for (const st of statements) expect(JSON.stringify(st.Resource)).not.toContain('index/*');
    for (const st of statements.filter((st) => st !== query[0])) {
      expect(JSON.stringify(st.Resource)).not.toContain('/index/');
    }
  });

  it('runs the scheduled-message delivery every minute by default, same DLQ, Query on GSI2 only, no delete or Scan', () => {
    const fnIdOf = Object.keys(jobs.findResources('AWS::Lambda::Function')).find((id) =>
      id.startsWith('ScheduledDeliveryFn'),
    )!;
    expect(fnIdOf).toBeDefined();
    const [schedule] = Object.values(jobs.findResources('AWS::Scheduler::Schedule')).filter((s) =>
      JSON.stringify(s.Properties.Target.Arn).includes(fnIdOf),
    );
    expect(schedule?.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(JSON.parse(schedule?.Properties.Target.Input)).toEqual({ source: 'schedule' });
    const dlqId = Object.keys(jobs.findResources('AWS::SQS::Queue'))[0]!;
    expect(JSON.stringify(schedule?.Properties.Target.DeadLetterConfig)).toContain(dlqId);
    const statements = Object.entries(jobs.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('ScheduledDeliveryFn'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = statements
      .flatMap((st) => ([] as string[]).concat(st.Action))
      .filter((a) => a.startsWith('dynamodb:'));
    expect([...actions].sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    // What is due comes from a Query of the sparse GSI2 alone; the table's statement names no index.
    const query = statements.filter((st) => ([] as string[]).concat(st.Action).includes('dynamodb:Query'));
    expect(query).toHaveLength(1);
    expect(query[0]!.Action).toBe('dynamodb:Query');
    expect(JSON.stringify(query[0]!.Resource).match(/\/index\/[A-Za-z0-9*]+/g)).toEqual(['/index/GSI2']);
    for (const st of statements.filter((st) => st !== query[0] && JSON.stringify(st.Action).includes('dynamodb:'))) {
      expect(JSON.stringify(st.Resource)).not.toContain('/index/');
    }
  });

  it('gives the reconciliation least privilege: its table and the directory index (no Scan), PutEvents on its own bus only', () => {
    const policies = jobs.findResources('AWS::IAM::Policy');
    const statements = Object.entries(policies)
      .filter(([id]) => id.startsWith('ReconcileFn'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const all = statements.flatMap((st) => ([] as string[]).concat(st.Action));
    expect(all.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
      [
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    for (const st of statements) {
      const actions = ([] as string[]).concat(st.Action);
      expect(actions.some((a) => a.endsWith(':*'))).toBe(false);
      // Only X-Ray (active tracing) has no resource-level permissions.
      if (!actions.every((a) => a.startsWith('xray:'))) expect(JSON.stringify(st.Resource)).not.toBe('"*"');
      // The only index it reads is the workspace directory (GSI2), and there it may only Query.
      if (JSON.stringify(st.Resource).includes('index')) {
        expect(st.Action).toBe('dynamodb:Query');
        expect(JSON.stringify(st.Resource)).toContain('/index/GSI2');
        expect(JSON.stringify(st.Resource)).not.toContain('index/*');
      }
    }
    const events = statements.filter((st) => JSON.stringify(st.Action).includes('events:'));
    expect(events).toHaveLength(1);
    expect(events[0]!.Action).toBe('events:PutEvents');
    const busId = Object.keys(jobs.findResources('AWS::Events::EventBus'))[0]!;
    expect(JSON.stringify(events[0]!.Resource)).toContain(busId);
    // The scheduler's role may only invoke this function (and send to its DLQ).
    const schedulerActions = Object.entries(policies)
      .filter(([id]) => id.startsWith('SchedulerRole'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    for (const st of schedulerActions) {
      for (const a of ([] as string[]).concat(st.Action))
        expect(['lambda:InvokeFunction', 'sqs:SendMessage']).toContain(a);
    }
    expect(JSON.stringify(schedulerActions)).toContain(fnId());
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error, and every acknowledgement is deliberate', () => {
    const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(nag).toBeDefined();
    expect(nag?.violations.filter((v) => v.severity === 'error').map((v) => v.ruleName)).toEqual([]);
    expect(nag?.conclusion).toBe('success');
    for (const s of nag?.suppressedViolations ?? []) expect(s.acknowledgedId).toBeTruthy();
  });
});

describe('route table and IAM agree', () => {
  it('gives every Lambda serving a write route the table writes its idempotency records need', () => {
    const policies = api.findResources('AWS::IAM::Policy');
    const fns = api.findResources('AWS::Lambda::Function');
    for (const area of new Set(routes.filter((r) => r.write).map((r) => r.fn))) {
      const pascal = area.replace(/(^|[-_])(\w)/g, (_m, _s, c: string) => c.toUpperCase());
      const fnId = Object.keys(fns).find((id) => id.startsWith(`${pascal}Fn`));
      expect(fnId, area).toBeDefined();
      const statements = Object.entries(policies)
        .filter(([id]) => id.startsWith(`${pascal}Fn`))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);
      const actions = statements.flatMap((st) => ([] as string[]).concat(st.Action));
      expect(actions, area).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
      );
    }
  });
});
