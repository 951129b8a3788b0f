// The billing event port and its one adapter: Amazon EventBridge PutEvents. Locally the same adapter
// talks to a local EventBridge stand-in (EVENTS_ENDPOINT) that captures events for tests and GET /dev/events.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { billingConfig } from './config';

export const EVENT_SOURCE = 'inbox-access.billing';
export const SEATS_CHANGED = 'SeatsChanged';

export interface SeatsChangedDetail {
  workspaceId: string;
  period: string;
  before: number;
  after: number;
  reason: string;
  idempotencyKey: string;
  ledgerId: string;
  seq: number;
  at: string;
}

export interface EventPort {
  seatsChanged(detail: SeatsChangedDetail): Promise<{ eventId: string }>;
}

let client: EventBridgeClient | undefined;

export const eventBridgePort: EventPort = {
  async seatsChanged(detail) {
    const config = billingConfig();
    client ??= new EventBridgeClient({
      ...(config.EVENTS_ENDPOINT ? { endpoint: config.EVENTS_ENDPOINT } : {}),
      maxAttempts: 3,
    });
    const res = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: config.BILLING_EVENT_BUS,
            Source: EVENT_SOURCE,
            DetailType: SEATS_CHANGED,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    const entry = res.Entries?.[0];
    if ((res.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
      throw new Error(`PutEvents refused the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`);
    }
    return { eventId: entry.EventId };
  },
};
