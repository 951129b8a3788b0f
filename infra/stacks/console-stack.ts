// The admin console, deployed: its static build in a private S3 bucket behind CloudFront (origin access
// control), served under /console/ (the path Vite builds it for and the one emails link to, as locally), with
// the REST API reached through the SAME distribution (/v1/*), so the console calls its own origin: no CORS,
// and the Content-Security-Policy's connect-src is 'self' plus the sign-in issuer.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, CfnOutput, DockerImage, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CfFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { DeployConfig } from '../config';
import { acknowledge } from '../nag';

const ROOT = new URL('../../', import.meta.url).pathname;
export const CONSOLE_DIR = join(ROOT, 'console');
/** Where the build lives in the bucket and on the distribution (Vite's `base`). */
export const CONSOLE_PREFIX = 'console';

/** What the deployed console reads at start (console/src/config.ts): sign in with OIDC, the API on its own origin. */
export function consoleConfigJson(config: DeployConfig) {
  return {
    mode: 'oidc' as const,
    issuer: config.console.oidcIssuer,
    clientId: config.console.oidcClientId,
    scope: config.console.oidcScope,
    // Same origin: the distribution's /v1/* behaviour is the API.
    apiBase: '',
  };
}

/**
 * The Content-Security-Policy of every answer: only this origin's scripts and styles (the build has no inline
 * script or style), fetches to this origin (the API) and the sign-in issuer (discovery, token endpoint), no
 * framing (clickjacking), no plugins, no <base> or form posts elsewhere.
 */
export function consoleContentSecurityPolicy(config: DeployConfig): string {
  const connect = [...new Set(["'self'", new URL(config.console.oidcIssuer).origin, ...config.console.connectOrigins])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/**
 * Viewer-request function of the console's behaviour (S3): an app route (`/console/w/ws_1/members`, no file
 * extension) is answered with the app's index.html, `/` and `/console` go to `/console/`, anything else outside
 * /console/ is a 404. A function rather than the distribution's custom error responses, which would also turn
 * the API's own 403/404 answers on /v1/* into index.html.
 */
export const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/${CONSOLE_PREFIX}') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/${CONSOLE_PREFIX}/' } } };
  }
  if (uri.indexOf('/${CONSOLE_PREFIX}/') !== 0) {
    return { statusCode: 404, statusDescription: 'Not Found' };
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/${CONSOLE_PREFIX}/index.html';
  return request;
}`;

export interface ConsoleStackProps extends StackProps {
  api: RestApi;
  config: DeployConfig;
}

export class ConsoleStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { api, config } = props;
    // Server access logs are delivered under a bucket policy, so the log bucket needs no ACLs (owner enforced).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(logs, [
      { id: 'AwsSolutions-S1', reason: 'This is the server access log bucket; logging it into itself would loop.' },
    ]);

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      // Built files only: a new deploy writes them again.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Admin console: strict CSP and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(config), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // Invitation links carry their token in the query string: never send it on as a Referer.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const spa = new CfFunction(this, 'SpaRewrite', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Console routes -> /console/index.html; / -> /console/',
      code: FunctionCode.fromInline(SPA_REWRITE),
    });

    // The API behind the same origin: nothing cached, every viewer header but Host (API Gateway needs its own)
    // forwarded, Authorization included, every method.
    const apiBehavior = {
      origin: new RestApiOrigin(api),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
      compress: true,
    };

    const domain = config.console.domainName
      ? {
          domainNames: [config.console.domainName],
          certificate: Certificate.fromCertificateArn(this, 'Certificate', config.console.certificateArn ?? ''),
          minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        }
      : {};

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Inbox access admin console and its API',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...domain,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spa, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: {
        '/v1/*': apiBehavior,
        // AuthZEN's PDP metadata is a public route of the same API.
        '/.well-known/authzen-configuration/*': apiBehavior,
      },
    });

    // The build: hashed assets cached for good; index.html and config.json revalidated on every load, and
    // invalidated at deploy, so a new build is live at once. Old assets stay (prune off) for open tabs.
    const build = consoleBuild();
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [build],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${CONSOLE_PREFIX}/`,
      exclude: ['index.html', 'config.json', '.source-digest'],
      prune: false,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    const entry = new BucketDeployment(this, 'DeployEntry', {
      sources: [build, Source.jsonData('config.json', consoleConfigJson(config))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${CONSOLE_PREFIX}/`,
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: [`/${CONSOLE_PREFIX}/index.html`, `/${CONSOLE_PREFIX}/config.json`],
    });
    // index.html names the new assets: they are in the bucket before it is.
    entry.node.addDependency(assets);

    new CfnOutput(this, 'ConsoleUrl', {
      value: `https://${config.console.domainName ?? this.distribution.distributionDomainName}/${CONSOLE_PREFIX}/`,
      description: 'The admin console; its origin is the appUrl emails link to (-c appUrl=https://<host>)',
    });

    acknowledge(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Support teams sign in from anywhere; access is decided by sign-in and the API, not by country.',
      },
      { id: 'AwsSolutions-CFR2', reason: 'WAF is attached per environment by the platform team, outside this stack.' },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          "CloudFront standard logs record the query string, and the console's invitation links carry their token there (secrets never in logs); API calls are logged by API Gateway's access log, the bucket by S3 server access logs.",
      },
      ...(config.console.domainName
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without consoleDomainName the distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; with a custom domain the minimum is TLS 1.2 (2021).',
            },
          ]),
    ]);
    // The copy function CDK's BucketDeployment brings (one per stack, shared by both deployments): its findings,
    // acknowledged on it alone.
    const copier = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!copier) throw new Error("BucketDeployment's copy function not found: acknowledge its findings anew");
    const copy = "BucketDeployment's copy function";
    acknowledge(copier, [
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${copy}: the basic execution role only lets it write its own logs.`,
      },
      ...[
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        `Resource::<${this.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
      ].map((finding) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`,
        reason: `${copy}: CDK's read grant on its asset bucket and write grant on this site bucket (objects only).`,
      })),
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: `${copy}: cloudfront:CreateInvalidation/GetInvalidation (the deploy's invalidation) have no resource-level permission in CDK's grant.`,
      },
      { id: 'AwsSolutions-L1', reason: `${copy}: its runtime is chosen by the CDK version, not by this stack.` },
    ]);
  }
}

/**
 * The console's build as an asset. `cdk synth` builds it (scripts/console-build.ts: Vite, offline, skipped when
 * console/dist matches the sources), so a fresh clone synthesizes and deploys the current console with no
 * separate step; the asset's hash is the build's. Where bundling is skipped (the infra tests) the sources stand
 * in. Never Docker: the local build either works or fails the synth.
 */
function consoleBuild() {
  return Source.asset(CONSOLE_DIR, {
    exclude: ['dist', 'node_modules', '.build-lock'],
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('unused-local-build-only'),
      local: {
        tryBundle(outputDir: string) {
          execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/console-build.ts'], {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          const dist = join(CONSOLE_DIR, 'dist');
          if (!existsSync(join(dist, 'index.html'))) throw new Error(`console build left no ${dist}/index.html`);
          cpSync(dist, outputDir, { recursive: true, filter: (src) => !src.endsWith('.source-digest') });
          return true;
        },
      },
    },
  });
}
