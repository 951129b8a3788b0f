// The schemas of the teams Lambda's routes (see shared/api/contract.ts).
import * as z from 'zod';
import { CreateTeamBody, ListTeamsQuery, Team, TeamPage, TeamParams, UpdateTeamBody } from '../../teams/schema';
import { WorkspaceIdParams } from '../params';
import type { AreaContract } from './area';

export const teams = {
  listTeams: { params: WorkspaceIdParams, query: ListTeamsQuery, status: 200, response: TeamPage },
  createTeam: { params: WorkspaceIdParams, body: CreateTeamBody, status: 201, response: Team },
  updateTeam: { params: TeamParams, body: UpdateTeamBody, status: 200, response: Team },
  deleteTeam: { params: TeamParams, status: 204, response: z.null() },
} as const satisfies AreaContract<'teams'>;
