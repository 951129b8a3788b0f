// Table stream → invitation emails. Failed records are reported one by one so only they are retried.
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../shared/http/observability';
import { idempotencyConfig, invitationJob, sendInvitationMailOnce } from '../../shared/invitations/mailing';

export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  idempotencyConfig.registerLambdaContext(context);
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const job = invitationJob(record);
    if (!job) continue;
    try {
      await sendInvitationMailOnce(job);
    } catch (error) {
      logger.error('invitation email failed', { error: error as Error, invitationId: job.invitationId });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures };
}
