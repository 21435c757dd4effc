// A view as the Bot Framework message activity for the conversation's channel: Teams (Adaptive Card with
// Universal Actions), Slack through Azure Bot Service (Block Kit in channelData), anything else web chat.
import { toActivity, type CardActivity } from '../../cards/activity';
import type { Channel, View } from '../../shared/core/views';

function channelOf(channelId: string): Channel {
  return channelId === 'msteams' || channelId === 'slack' ? channelId : 'webchat';
}

export function activityFor(channelId: string, view: View): CardActivity {
  return toActivity(view, channelOf(channelId));
}
