// Waits, by long-polling the local chat, for an activity of a conversation (new or updated in place) whose
// shown text (cards as text) matches.
import { activityToText } from '../../../local/chat/card-text';
import { chatClient, type ChatActivity } from '../../../local/chat/client';
import { waitFor } from '../../support/wait-for';

export async function waitForActivity(
  chatUrl: string,
  conversation: string,
  match: (text: string, a: ChatActivity) => boolean,
  timeoutMs: number,
): Promise<{ activity: ChatActivity; text: string }> {
  const client = chatClient(chatUrl);
  let after = 0;
  // The read itself waits (a 2 s long-poll), so no pause between reads.
  return waitFor(
    `an activity in ${conversation} that matches`,
    async () => {
      const { activities, last } = await client.changes(conversation, after, 2);
      after = last;
      for (const activity of activities) {
        const text = activityToText(activity);
        if (match(text, activity)) return { activity, text };
      }
      return undefined;
    },
    undefined,
    { timeoutMs, intervalMs: 0 },
  );
}
