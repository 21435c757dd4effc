// The one place that builds botbuilder's CloudAdapter (botbuilder is archived; its successor, the Microsoft
// 365 Agents SDK, has a near-identical API: keep the swap to this file and proactive.ts). An empty appId is the
// local/emulator mode: unauthenticated requests are accepted, so the host must listen on 127.0.0.1 only.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from '../shared/config';

export function createCloudAdapter(bot: Config['bot']): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppTenantId: bot.appTenantId,
    MicrosoftAppType: bot.appType,
  };
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
}
