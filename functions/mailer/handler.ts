// Table stream → invitation, access-request and failed-scheduled-message emails. Powertools' batch processor
// reports failed records one by one, so only they are retried (the event source mapping has
// ReportBatchItemFailures on).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  accessRequestIdempotency,
  accessRequestJob,
  sendAccessRequestMailOnce,
} from '../../shared/access-requests/mailing';
import {
  scheduledFailedIdempotency,
  scheduledFailedJob,
  sendScheduledFailedMailOnce,
} from '../../shared/conversations/scheduled-mailing';
import { idempotencyConfig, invitationJob, sendInvitationMailOnce } from '../../shared/invitations/mailing';
import { logger } from '../../shared/logging';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function record(r: DynamoDBRecord): Promise<void> {
  const request = accessRequestJob(r);
  if (request) {
    try {
      await sendAccessRequestMailOnce(request);
    } catch (error) {
      logger.error('access request email failed', { error: error as Error, requestId: request.requestId });
      throw error;
    }
    return;
  }
  const failed = scheduledFailedJob(r);
  if (failed) {
    try {
      await sendScheduledFailedMailOnce(failed);
    } catch (error) {
      logger.error('scheduled message failure email failed', {
        error: error as Error,
        scheduledMessageId: failed.scheduledMessageId,
      });
      throw error;
    }
    return;
  }
  const job = invitationJob(r);
  if (!job) return;
  try {
    await sendInvitationMailOnce(job);
  } catch (error) {
    logger.error('invitation email failed', { error: error as Error, invitationId: job.invitationId });
    throw error;
  }
}

export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  idempotencyConfig.registerLambdaContext(context);
  accessRequestIdempotency.registerLambdaContext(context);
  scheduledFailedIdempotency.registerLambdaContext(context);
  // A batch whose every record failed is reported the same way (the mapping retries just those records).
  return processPartialResponse(event, record, processor, { context, throwOnFullBatchFailure: false });
}
