// A view as the Bot Framework message activity for the conversation's channel: Teams (Adaptive Card with
// Universal Actions), Slack through Azure Bot Service (Block Kit in channelData), anything else web chat.
import { toActivity, type CardActivity } from '../../cards/activity';
import type { Channel, View } from '../../shared/core/views';
import type { ChartLinker } from '../chart-links';

function channelOf(channelId: string): Channel {
  return channelId === 'msteams' || channelId === 'slack' ? channelId : 'webchat';
}

export function activityFor(channelId: string, view: View): CardActivity {
  return toActivity(view, channelOf(channelId));
}

/**
 * As activityFor; a Slack conversation's chart becomes an image behind a link (`chartLink`, when the app has
 * somewhere to keep it: bot/chart-links.ts), which Slack fetches. Teams draws its own chart; web chat shows the line.
 */
export async function activityWithChart(
  channelId: string,
  view: View,
  chartLink: ChartLinker | undefined,
): Promise<CardActivity> {
  const channel = channelOf(channelId);
  const chart = channel === 'slack' && chartLink ? await chartLink(view) : undefined;
  return toActivity(view, channel, chart ? { chart } : {});
}
