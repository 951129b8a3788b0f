// One request of DynamoDB's JSON protocol over node:http(s) with kept-alive connections, SigV4-signed by @smithy/signature-v4 (the SDK's own
// signer). The table's client (shared/db/client.ts) is built on it instead of the SDK's DynamoDB client, whose
// load (and the credential and protocol modules its first request loads) was a third to a half of every
// function's cold start (issue 19; `npm run bench -- cold-start`). A failure is thrown with DynamoDB's error name
// (`ThrottlingException`, `TransactionCanceledException` with its `CancellationReasons`, ...) as the SDK names
// it, so `mapDbError` reads it the same way.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { config } from '../config';

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): Buffer | string =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 and its HMAC from node:crypto, in the shape the signer takes. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * DynamoDB (or the network) failing a request: `name` as the SDK would name it, and what DynamoDB said. Its HTTP
 * status is `httpStatusCode`, never `statusCode`: the error handler would take that for the answer to our client.
 */
export class DynamoError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly httpStatusCode?: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let signer: SignatureV4 | undefined;
let endpoint: URL | undefined;
// Kept-alive connections, as the SDK's own handler keeps them: a request reuses the connection the last one opened.
let agent: HttpAgent | undefined;

/**
 * POST over node:http(s), not fetch: fetch's first call loads undici and its WebAssembly HTTP parser, about
 * 30-40 ms of every cold start, while node:http is loaded anyway (the X-Ray tracer instruments it).
 */
function post(url: URL, headers: IncomingHttpHeaders | Record<string, string>, body: string) {
  const https = url.protocol === 'https:';
  agent ??= https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function setup(): { signer: SignatureV4; endpoint: URL } {
  if (!signer || !endpoint) {
    const { DYNAMODB_ENDPOINT } = config.table();
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('AWS_REGION is not set');
    endpoint = new URL(DYNAMODB_ENDPOINT ?? `https://dynamodb.${region}.amazonaws.com`);
    signer = new SignatureV4({
      service: 'dynamodb',
      region,
      sha256: Sha256,
      // Lambda puts the execution role's credentials in the environment; read per request (they rotate).
      credentials: async () => {
        const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
        if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) throw new Error('No AWS credentials in the environment');
        return {
          accessKeyId: AWS_ACCESS_KEY_ID,
          secretAccessKey: AWS_SECRET_ACCESS_KEY,
          ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
        };
      },
    });
  }
  return { signer, endpoint };
}

/** One attempt of `operation` (`GetItem`, `Query`, ...) with a body already in DynamoDB's JSON. */
export async function signedRequest(operation: string, body: string): Promise<Record<string, unknown>> {
  const { signer, endpoint } = setup();
  const signed = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path: endpoint.pathname,
    query: {},
    headers: {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      // node:http would otherwise send the body chunked.
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
  let res: { status: number; text: string };
  try {
    res = await post(endpoint, signed.headers, body);
  } catch (err) {
    // A dropped or refused connection (a kept-alive one the server closed included): retried as the SDK does.
    throw new DynamoError('TimeoutError', `DynamoDB unreachable: ${(err as Error).message}`);
  }
  const ok = res.status >= 200 && res.status < 300;
  let parsed: Record<string, unknown> = {};
  try {
    parsed = res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {};
  } catch {
    // A body that is not JSON (a proxy's error page): the status decides below.
    if (ok) throw new DynamoError('InternalServerError', 'DynamoDB answered a body that is not JSON', res.status);
  }
  if (ok) return parsed;
  const type = String(parsed.__type ?? '');
  const name = type.slice(type.lastIndexOf('#') + 1) || (res.status >= 500 ? 'InternalServerError' : 'UnknownError');
  throw new DynamoError(name, String(parsed.message ?? parsed.Message ?? `HTTP ${res.status}`), res.status, parsed);
}
