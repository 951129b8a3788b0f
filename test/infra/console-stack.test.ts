// InboxAccessConsole: the admin console's bucket, distribution and deploy, as synthesized (bundling skipped:
// the console's sources stand in for its build; `cdk synth` builds it).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPA_REWRITE } from '../../infra/stacks/console-stack';
import { synthInChild } from '../fixtures/synth';

const ISSUER = 'https://idp.example.test/realms/support';
const context = {
  'aws:cdk:bundling-stacks': [],
  authIssuer: ISSUER,
  consoleOidcClientId: 'console-client',
  consoleConnectOrigins: 'https://auth.example.test',
};

let outdir: string;
let tpl: Template;
let report: { pluginReports: { pluginName: string; violations: { ruleName: string }[] }[] };

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'cdk-console-'));
  await synthInChild(outdir, context);
  tpl = Template.fromJSON(JSON.parse(readFileSync(join(outdir, 'InboxAccessConsole.template.json'), 'utf8')));
  report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
}, 300_000);

type Resource = { Properties: Record<string, any> };
const only = (type: string): Resource => {
  const found = Object.values(tpl.findResources(type)) as Resource[];
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const distributionConfig = () => only('AWS::CloudFront::Distribution').Properties.DistributionConfig;
const siteBucketId = () =>
  Object.entries(tpl.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('Site'))![0];

describe('console bucket', () => {
  it('is private: every public access blocked, encrypted, SSL only, access-logged, objects owned by the bucket', () => {
    const id = siteBucketId();
    const bucket = tpl.findResources('AWS::S3::Bucket')[id] as Resource;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({ SSEAlgorithm: 'AES256' });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toBeDefined();
    expect(bucket.Properties.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
  });

  it('lets only this distribution read it (origin access control), and refuses plain HTTP', () => {
    const id = siteBucketId();
    const [policy] = Object.values(tpl.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => (p as Resource).Properties.Bucket.Ref === id,
    ) as Resource[];
    const statements = policy!.Properties.PolicyDocument.Statement as Record<string, any>[];
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(allows[0]!.Condition)).toContain('Distribution');
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('console distribution', () => {
  it('reads the bucket through origin access control (SigV4, always), never an identity or a public website', () => {
    expect(only('AWS::CloudFront::OriginAccessControl').Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const s3 = (distributionConfig().Origins as Record<string, any>[]).find((o) => o.S3OriginConfig);
    expect(s3?.OriginAccessControlId).toBeDefined();
    expect(s3?.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(JSON.stringify(s3?.DomainName)).toContain(siteBucketId());
  });

  it('answers every page with a strict Content-Security-Policy and the security headers', () => {
    const policy = only('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig;
    const csp = policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as string;
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    // The API is this origin; the issuer (discovery, token endpoint) and the configured extra origin are the rest.
    expect(directives.get('connect-src')).toEqual(["'self'", 'https://idp.example.test', 'https://auth.example.test']);
    // Nothing inline, nothing evaluated, no wildcard source.
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|data:.*script/);
    expect(policy.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true },
    });
    const config = distributionConfig();
    const policyRef = { Ref: Object.keys(tpl.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0] };
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(policyRef);
    for (const b of config.CacheBehaviors) expect(b.ResponseHeadersPolicyId).toEqual(policyRef);
  });

  it('serves index.html for console routes (SPA fallback) with a function, not error pages that would hide API errors', () => {
    const config = distributionConfig();
    expect(config.CustomErrorResponses).toBeUndefined();
    const fn = only('AWS::CloudFront::Function');
    expect(fn.Properties.FunctionCode).toBe(SPA_REWRITE);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      {
        EventType: 'viewer-request',
        FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^SpaRewrite/), 'FunctionARN'] },
      },
    ]);
    // The function's code, run as CloudFront would on a viewer request.
    const handler = runInNewContext(`${SPA_REWRITE}; handler`) as (e: unknown) => Record<string, any>;
    const run = (uri: string) => handler({ request: { uri, method: 'GET', headers: {}, querystring: {} } });
    expect(run('/console/w/ws_1/members').uri).toBe('/console/index.html');
    expect(run('/console/accept').uri).toBe('/console/index.html');
    expect(run('/console/').uri).toBe('/console/index.html');
    expect(run('/console/assets/index-4f2a.js').uri).toBe('/console/assets/index-4f2a.js');
    expect(run('/console/config.json').uri).toBe('/console/config.json');
    expect(run('/')).toMatchObject({ statusCode: 301, headers: { location: { value: '/console/' } } });
    expect(run('/console')).toMatchObject({ statusCode: 301, headers: { location: { value: '/console/' } } });
    expect(run('/index.html').statusCode).toBe(404);
  });

  it('sends /v1/* to the REST API on the same origin: nothing cached, viewer headers but Host forwarded, every method', () => {
    const config = distributionConfig();
    const v1 = (config.CacheBehaviors as Record<string, any>[]).find((b) => b.PathPattern === '/v1/*');
    expect(v1).toMatchObject({
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      ViewerProtocolPolicy: 'https-only',
    });
    expect([...v1!.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    const origin = (config.Origins as Record<string, any>[]).find((o) => o.Id === v1!.TargetOriginId);
    expect(origin?.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // The API stack's REST API and its stage.
    expect(JSON.stringify(origin?.DomainName)).toMatch(/InboxAccessApi:ExportsOutputRefApi.*execute-api/);
    expect(JSON.stringify(origin?.OriginPath)).toContain('DeploymentStage');
    // The console's behaviour is read-only and cached.
    expect(config.DefaultCacheBehavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
      ViewerProtocolPolicy: 'redirect-to-https',
    });
  });
});

describe('console deploy', () => {
  it('writes config.json for OIDC sign-in against the issuer, the API on the same origin, revalidated on every load', () => {
    const entry = Object.entries(tpl.findResources('Custom::CDKBucketDeployment')).find(([id]) =>
      id.startsWith('DeployEntry'),
    )![1] as Resource;
    expect(entry.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      Include: ['index.html', 'config.json'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/console/index.html', '/console/config.json'],
    });
    // Source.jsonData stages config.json as an asset of its own: read what will be uploaded.
    const keys = entry.Properties.SourceObjectKeys as string[];
    const files = keys.map((k) => join(outdir, `asset.${k.replace(/\.zip$/, '')}`, 'config.json'));
    const json = files.flatMap((f) => {
      try {
        return [JSON.parse(readFileSync(f, 'utf8'))];
      } catch {
        return [];
      }
    });
    expect(json).toEqual([
      { mode: 'oidc', issuer: ISSUER, clientId: 'console-client', scope: 'openid email', apiBase: '' },
    ]);
  });

  it('uploads the hashed build under console/ for good, index.html last', () => {
    const deployments = Object.entries(tpl.findResources('Custom::CDKBucketDeployment')) as [
      string,
      Resource & { DependsOn?: string[] },
    ][];
    const [assetsId, assets] = deployments.find(([id]) => id.startsWith('DeployAssets'))!;
    expect(assets.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      Exclude: expect.arrayContaining(['index.html', 'config.json']),
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    const [, entry] = deployments.find(([id]) => id.startsWith('DeployEntry'))!;
    expect(JSON.stringify(entry.DependsOn ?? [])).toContain(assetsId.replace(/CustomResource.*$/, ''));
  });
});

it('passes cdk-nag (AwsSolutions) with nothing unacknowledged in the console stack', () => {
  const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
  expect(nag?.violations ?? []).toEqual([]);
});
