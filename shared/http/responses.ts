import type { APIGatewayProxyResult } from 'aws-lambda';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

export interface Result<T = unknown> {
  statusCode: number;
  body: T;
  headers?: Record<string, string>;
}

export const ok = <T>(body: T): Result<T> => ({ statusCode: 200, body });
export const created = <T>(body: T): Result<T> => ({ statusCode: 201, body });
export const noContent = (): Result<null> => ({ statusCode: 204, body: null });

export function toProxyResult(result: Result): APIGatewayProxyResult {
  return {
    statusCode: result.statusCode,
    headers: { ...JSON_HEADERS, ...result.headers },
    body: result.body === null ? '' : JSON.stringify(result.body),
  };
}
