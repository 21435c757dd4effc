// View → the Bot Framework message activity for a channel: Teams gets an Adaptive Card with Universal
// Actions, web chat (and the local chat) an Adaptive Card with Action.Submit, Slack Block Kit in channelData.
import type { Channel, View } from '../shared/core/views';
import { renderAdaptive, type AdaptiveCardJson } from './adaptive';
import { layoutView } from './layout';
import { renderSlack, type SlackBlock, type SlackChartImage } from './slack';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface CardActivity {
  type: 'message';
  /** Slack: the notification and fallback text (Slack shows the blocks, not this). */
  text?: string;
  /**
   * Adaptive Cards: the notification and fallback line. Not `text`: Teams and Web Chat show `text` above the
   * card, which would say the card's title a second time.
   */
  summary?: string;
  attachments?: [{ contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCardJson }];
  channelData?: { blocks: SlackBlock[] };
}

/** `chart`: Slack only: where the view's chart is as an image (else its summary line). */
export function toActivity(view: View, channel: Channel, opts: { chart?: SlackChartImage } = {}): CardActivity {
  if (channel === 'slack') {
    const { blocks, text } = renderSlack(view, opts);
    return { type: 'message', text, channelData: { blocks } };
  }
  const content = renderAdaptive(view, channel === 'msteams' ? 'execute' : 'submit');
  return {
    type: 'message',
    summary: layoutView(view).summary,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }],
  };
}
