// The runtime configuration: every environment variable the code reads, checked with zod once per
// concern, on first use (the authorizer and each Lambda at cold start). A missing or malformed value
// fails loudly there instead of becoming a silent default deep in a request. Set by CDK in AWS
// (infra/stacks) and by the local runtime (scripts/local). `zod/mini` keeps the authorizer small.
import * as z from 'zod/mini';

/** The table's name where TABLE_NAME is not set (local runs and tests). */
export const DEFAULT_TABLE_NAME = 'inbox-access';

const optionalText = () => z.optional(z.string().check(z.minLength(1)));

// Each section's schema is built when the section is first read: a function reads one or two of the four, and
// building them all at load cost every cold start ~45 schema constructions.
const schemas = {
  table: () =>
    z.object({
      TABLE_NAME: z._default(z.string().check(z.minLength(1)), DEFAULT_TABLE_NAME),
      DYNAMODB_ENDPOINT: z.optional(z.url()),
      DYNAMODB_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)), 3),
    }),
  auth: () =>
    z.object({
      AUTH_ISSUER: z.string().check(z.minLength(1)),
      AUTH_AUDIENCE: z.string().check(z.minLength(1)),
      AUTH_ALGORITHMS: z._default(z.string(), 'RS256,ES256'),
      AUTH_JWKS_URL: z.optional(z.url()),
      AUTH_JWKS_JSON: optionalText(),
      AUTH_CACHE_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(60)), 30),
    }),
  mail: () =>
    z.object({
      SES_ENDPOINT: z.optional(z.url()),
      MAIL_FROM: optionalText(),
      SES_CONFIGURATION_SET: optionalText(),
      APP_URL: z._default(z.url(), 'https://app.example.com'),
    }),
  invitationSecret: () =>
    z
      .object({
        INVITE_TOKEN_SECRET: z.optional(z.string().check(z.minLength(32))),
        INVITE_TOKEN_SECRET_ARN: optionalText(),
      })
      .check(
        z.refine((e) => e.INVITE_TOKEN_SECRET !== undefined || e.INVITE_TOKEN_SECRET_ARN !== undefined, {
          message: 'INVITE_TOKEN_SECRET (32+ characters) or INVITE_TOKEN_SECRET_ARN is required',
        }),
      ),
};

type Section = keyof typeof schemas;
type Config<S extends Section> = z.infer<ReturnType<(typeof schemas)[S]>>;

const parsed = new Map<Section, unknown>();

function section<S extends Section>(name: S): Config<S> {
  let value = parsed.get(name) as Config<S> | undefined;
  if (!value) {
    const res = z.safeParse(schemas[name](), process.env);
    if (!res.success) {
      const problems = res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid ${name} configuration: ${problems}`);
    }
    value = res.data as Config<S>;
    parsed.set(name, value);
  }
  return value;
}

export const config = {
  table: () => section('table'),
  auth: () => section('auth'),
  mail: () => section('mail'),
  invitationSecret: () => section('invitationSecret'),
};
