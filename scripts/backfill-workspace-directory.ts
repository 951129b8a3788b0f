// One-off: gives every workspace item written before the workspace directory existed its directory entry, so
// the seat reconciliation (which walks the directory) bills it. Safe to rerun. Uses the environment the
// Lambdas use (TABLE_NAME, AWS credentials and region; DYNAMODB_ENDPOINT for DynamoDB Local).
import { backfillWorkspaceDirectory } from '../shared/workspaces/directory';

const added = await backfillWorkspaceDirectory();
process.stdout.write(
  `${added.length} workspace(s) added to the directory${added.length ? `: ${added.join(', ')}` : ''}\n`,
);
