// Pure: how a conversation on Slack's own protocol is named and stored. The team id scopes it (channel ids are
// unique only within a workspace), so the conversation id is `slack:<team>:<channel>`. Its channelId
// `slack-app` tells it from a conversation that reached us through Azure Bot Service's Slack channel
// (`slack`, a Bot Framework reference): the composition root routes each to its own transport's sender.
import type { StoredConversation } from '../../shared/storage/index';

export const SLACK_APP_CHANNEL = 'slack-app';

export interface SlackTarget {
  team: string;
  channel: string;
}

export function slackConversationId(t: SlackTarget): string {
  return `slack:${t.team}:${t.channel}`;
}

export function slackConversation(t: SlackTarget, apiUrl: string): StoredConversation {
  return {
    conversationId: slackConversationId(t),
    channelId: SLACK_APP_CHANNEL,
    serviceUrl: apiUrl,
    reference: { team: t.team, channel: t.channel },
  };
}

/** The Slack channel to post to when `conv` was made on Slack's own protocol, else undefined. */
export function slackTarget(conv: StoredConversation): SlackTarget | undefined {
  const r = conv.reference as { team?: unknown; channel?: unknown };
  return conv.channelId === SLACK_APP_CHANNEL && typeof r.team === 'string' && typeof r.channel === 'string'
    ? { team: r.team, channel: r.channel }
    : undefined;
}
