// The local API with the console attached (scripts/local/console-server.ts), over HTTP: a /console/ path that is
// not valid percent-encoding, or that decodes to a NUL byte, is the client's mistake (400), and the local server
// keeps answering afterwards instead of crashing on the thrown URIError / invalid path.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalApi, startLocalApi } from '../../scripts/local/app';

let api: LocalApi;
beforeAll(async () => {
  api = await startLocalApi({
    endpoint: inject('dynamoEndpoint'),
    tableName: inject('tableName'),
    authorizerCacheTtlSeconds: 0,
    console: true,
  });
});
afterAll(async () => {
  await api?.stop();
});

// A request the server never answers (it crashed) fails here instead of hanging the test.
const get = (path: string) => fetch(`${api.url}${path}`, { signal: AbortSignal.timeout(15_000) });

describe('the local console server refuses malformed paths', () => {
  it.each(['/console/%E0%A4%A', '/console/%00', '/console/assets/%00.js', '/console/%'])(
    'GET %s is 400 and the server keeps serving',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/path/i);
      const config = await get('/console/config.json');
      expect(config.status).toBe(200);
      expect(await config.json()).toEqual({ mode: 'local', apiBase: '' });
    },
  );
});
