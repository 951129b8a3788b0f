import { App, Tags, Validations } from 'aws-cdk-lib';
import { loadConfig } from './config';
import { AwsSolutionsChecks } from './nag';
import { ApiStack } from './stacks/api-stack';
import { ConsoleStack } from './stacks/console-stack';
import { DataStack } from './stacks/data-stack';
import { JobsStack } from './stacks/jobs-stack';
import { MailStack } from './stacks/mail-stack';

export function buildApp(app = new App()) {
  const config = loadConfig(app);
  const data = new DataStack(app, 'InboxAccessData', { tableName: config.tableName });
  const mail = new MailStack(app, 'InboxAccessMail', { table: data.table, config });
  const api = new ApiStack(app, 'InboxAccessApi', { table: data.table, config, tokenSecret: mail.tokenSecret });
  const jobs = new JobsStack(app, 'InboxAccessJobs', { table: data.table, config });
  const consoleStack = new ConsoleStack(app, 'InboxAccessConsole', { api: api.api, config });
  Tags.of(app).add('service', 'inbox-access');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, config, data, mail, api, jobs, console: consoleStack };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  buildApp().app.synth();
}
