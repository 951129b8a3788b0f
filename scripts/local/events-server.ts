// A local stand-in for the Amazon EventBridge endpoint: the real EventBridge adapter
// (shared/billing/events.ts) sends PutEvents to it locally, and it keeps what it received for tests and
// GET /dev/events. Only PutEvents (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) is implemented.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface CapturedEvent {
  id: string;
  source: string;
  detailType: string;
  eventBusName: string;
  detail: unknown;
  receivedAt: string;
}

export interface EventsServer {
  url: string;
  events: CapturedEvent[];
  close(): Promise<void>;
}

interface PutEventsRequest {
  Entries?: { Source?: string; DetailType?: string; Detail?: string; EventBusName?: string }[];
}

export async function startEventsServer(): Promise<EventsServer> {
  const events: CapturedEvent[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && req.headers['x-amz-target'] === 'AWSEvents.PutEvents') {
        let body: PutEventsRequest;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PutEventsRequest;
        } catch {
          return json(400, { __type: 'ValidationException', message: 'bad request' });
        }
        const entries = (body.Entries ?? []).map((e) => {
          const id = randomUUID();
          let detail: unknown;
          try {
            detail = JSON.parse(e.Detail ?? 'null');
          } catch {
            return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not JSON' };
          }
          events.push({
            id,
            source: e.Source ?? '',
            detailType: e.DetailType ?? '',
            eventBusName: e.EventBusName ?? 'default',
            detail,
            receivedAt: new Date().toISOString(),
          });
          return { EventId: id };
        });
        return json(200, { FailedEntryCount: entries.filter((e) => !('EventId' in e)).length, Entries: entries });
      }
      if (req.method === 'GET' && url.pathname === '/_events') return json(200, { items: events });
      json(404, { message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
