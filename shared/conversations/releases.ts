// Conversations' side of the releases port (shared/releases.ts): what the handlers pass to the members, teams and
// inboxes services whose changes release conversations.
import type { Releases } from '../releases';
import { lostReachReleases } from './reach-release';
import { releaseAssignments } from './release';

export const conversationReleases: Releases = { lostReach: lostReachReleases, assignments: releaseAssignments };
