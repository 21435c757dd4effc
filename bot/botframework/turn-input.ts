// Where the command text of an incoming activity comes from: a card button's `value.command` (Action.Submit), a Teams
// Action.Execute invoke's `value.action.data.command`, a Slack button's action value, or the typed text with mentions
// of the bot removed. Pure: works on the activity JSON only (the fields it reads are typed here, so it needs no SDK).

/** The fields of a Bot Framework activity that carry what the user said or pressed. */
export interface ActivityText {
  text?: string;
  entities?: Array<{ type: string; [key: string]: unknown }>;
  recipient?: { id?: string };
  value?: unknown;
  channelData?: unknown;
}

function commandOf(data: unknown): string | undefined {
  if (data && typeof data === 'object' && typeof (data as { command?: unknown }).command === 'string') {
    return (data as { command: string }).command;
  }
  return undefined;
}

/** The `data.command` of an Action.Execute invoke whose verb is `command`, else undefined. */
export function executeCommand(value: unknown): string | undefined {
  const action = (value as { action?: { verb?: unknown; data?: unknown } | null } | null | undefined)?.action;
  if (action?.verb !== 'command') return undefined;
  return commandOf(action.data);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes mentions of the bot: Teams puts `<at>Bot name</at>` in the text (and a `mention` entity naming the
 * bot's id); Slack puts `<@U123>`. A mention of someone else inside the line is kept, except that a leading
 * mention is always taken as addressing the bot (Slack's bot user id is not the activity's recipient id).
 */
export function stripMentions(activity: Pick<ActivityText, 'text' | 'entities' | 'recipient'>): string {
  // Channels send JSON: a number as text, or null where an entity should be, is ignored rather than a crash.
  let text = typeof activity.text === 'string' ? activity.text : '';
  const botId = activity.recipient?.id;
  const entities: unknown[] = Array.isArray(activity.entities) ? activity.entities : [];
  for (const e of entities.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')) {
    const mentioned = (e as { mentioned?: { id?: string } | null }).mentioned;
    const mentionText = (e as { text?: unknown }).text;
    if (e.type === 'mention' && botId && mentioned?.id === botId && typeof mentionText === 'string') {
      text = text.replace(new RegExp(escapeRegExp(mentionText), 'g'), ' ');
    }
  }
  // Leading mentions: `<at>Bot</at>`, `<@U123>` or `<@U123|name>`, possibly several.
  text = text.replace(/^\s*(?:(?:<at>[^<]*<\/at>|<@[A-Z0-9]+(?:\|[^>]*)?>)\s*)+/i, '');
  // HTML-ish leftovers from Teams (`&nbsp;`) and collapsed whitespace.
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A Slack Block Kit button press: Azure Bot Service's Slack channel forwards Slack's `block_actions` payload as
 * `channelData.Payload`; our buttons carry the command as the action's `value`.
 */
export function slackButtonCommand(channelData: unknown): string | undefined {
  const actions = (channelData as { Payload?: { type?: unknown; actions?: unknown } | null } | null | undefined)
    ?.Payload?.actions;
  if (!Array.isArray(actions) || actions.length === 0) return undefined;
  const value = (actions[0] as { value?: unknown } | null)?.value;
  return typeof value === 'string' ? value : undefined;
}

/** The command text of a message activity: a card button's value wins over the (usually empty) text. */
export function messageCommand(activity: ActivityText): string {
  return commandOf(activity.value) ?? slackButtonCommand(activity.channelData) ?? stripMentions(activity);
}
