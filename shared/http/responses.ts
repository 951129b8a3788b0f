import type { APIGatewayProxyResult } from 'aws-lambda';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

export interface Result<T = unknown> {
  statusCode: number;
  body: T;
  headers?: Record<string, string>;
  /** A body sent as-is (exports), with its content type, instead of JSON. */
  raw?: { body: string; contentType: string };
}

export const ok = <T>(body: T): Result<T> => ({ statusCode: 200, body });
export const created = <T>(body: T): Result<T> => ({ statusCode: 201, body });
/** Taken in, not done: a change that became a pending request (requireApprovalFor). */
export const accepted = <T>(body: T): Result<T> => ({ statusCode: 202, body });
export const noContent = (): Result<null> => ({ statusCode: 204, body: null });

export const rawOk = (raw: { body: string; contentType: string }): Result<string> => ({
  statusCode: 200,
  body: raw.body,
  raw,
});

export function toProxyResult(result: Result): APIGatewayProxyResult {
  // A 204 has no body, so no body headers (RFC 9110 §15.3.5): no Content-Type for a body that is not there.
  if (result.statusCode === 204) return { statusCode: 204, headers: { ...result.headers }, body: '' };
  if (result.raw) {
    return {
      statusCode: result.statusCode,
      headers: { 'Content-Type': result.raw.contentType, ...result.headers },
      body: result.raw.body,
    };
  }
  return {
    statusCode: result.statusCode,
    headers: { ...JSON_HEADERS, ...result.headers },
    body: result.body === null ? '' : JSON.stringify(result.body),
  };
}
