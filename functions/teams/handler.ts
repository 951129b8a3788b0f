import { teams } from '../../shared/api/areas/teams';
import { conversationReleases } from '../../shared/conversations/releases';
import { areaHandler } from '../../shared/http/middleware';
import { created, noContent, ok } from '../../shared/http/responses';
import { createTeam, deleteTeam, listTeams, updateTeam } from '../../shared/teams/service';

export const handler = areaHandler('teams', teams, {
  listTeams: async ({ access, query }) => ok(await listTeams(await access(), query)),
  createTeam: async ({ access, body }) => created(await createTeam(await access(), body)),
  updateTeam: async ({ access, params, body }) =>
    ok(await updateTeam(await access(), params.teamId, body, conversationReleases)),
  deleteTeam: async ({ access, params }) => {
    await deleteTeam(await access(), params.teamId, conversationReleases);
    return noContent();
  },
});
