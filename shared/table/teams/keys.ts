export const teamKey = (wsId: string, teamId: string) => ({ PK: `WS#${wsId}`, SK: `TEAM#${teamId}` });
export const teamNameKey = (wsId: string, nameKey: string) => ({ PK: `WS#${wsId}`, SK: `TEAMNAME#${nameKey}` });
export const TEAM_PREFIX = 'TEAM#';
