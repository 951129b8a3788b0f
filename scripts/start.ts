// `npm start`: DynamoDB Local + the local API on 127.0.0.1:3000 with a seeded demo workspace.
import { ensureConsoleBuilt } from './console-build';
import { startLocalApi } from './local/app';
import { seedDemo } from './local/demo';

const port = Number(process.env.PORT ?? 3000);
// The admin console is built here when its sources changed (a few seconds, offline), then served at /console/.
await ensureConsoleBuilt();
const api = await startLocalApi({ port, mail: true, console: true }).catch((err: NodeJS.ErrnoException) => {
  if (err.code === 'EADDRINUSE') {
    process.stderr.write(
      `Port ${port} is in use: stop what runs there, or start on another port: PORT=3001 npm start\n`,
    );
    process.exit(1);
  }
  throw err;
});
const demo = await seedDemo(api);

const t = demo.tokens;
process.stdout.write(`
Admin console: ${api.url}/console/   (sign in with ${demo.users.owner.email}, the demo workspace's owner)
Inbox access-control API (local) on ${api.url}
DynamoDB Local on ${api.endpoint} (in memory; table "${api.tableName}")

Demo workspace "${demo.workspace.name}" (${demo.workspace.id}) on plan "${demo.workspace.plan}":
  owner   ${demo.users.owner.email}   member ${demo.users.agent.email} (agent)   ${demo.users.member.email} (member)

Get a token (any sub/email; the demo users are above):
  curl -s -X POST ${api.url}/dev/token -H 'content-type: application/json' \\
       -d '{"sub":"${demo.users.owner.sub}","email":"${demo.users.owner.email}"}'

Call the API with it:
  TOKEN=${t.owner}
  curl -s ${api.url}/v1/workspaces/${demo.workspace.id}/me -H "authorization: Bearer $TOKEN"
  curl -s ${api.url}/v1/permissions -H "authorization: Bearer $TOKEN"
  curl -s -X POST ${api.url}/v1/workspaces -H "authorization: Bearer $TOKEN" \\
       -H 'content-type: application/json' -d '{"name":"My workspace","plan":"pro"}'

Invite someone, then read the email the local SES stand-in captured (its link carries the token):
  curl -s -X POST ${api.url}/v1/workspaces/${demo.workspace.id}/invitations -H "authorization: Bearer $TOKEN" \
       -H 'content-type: application/json' -d '{"email":"new@demo.example","roleId":"agent"}'
  curl -s '${api.url}/dev/outbox?to=new@demo.example'

OpenAPI: ${api.url}/v1/openapi.json      Stop with Ctrl-C.
`);

const stop = async () => {
  await api.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
