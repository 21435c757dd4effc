// Waits, by long-polling the local chat, for an activity of a conversation (new or updated in place) whose
// shown text (cards as text) matches.
import { activityToText } from '../../../local/chat/card-text';
import { chatClient, type ChatActivity } from '../../../local/chat/client';

export async function waitForActivity(
  chatUrl: string, conversation: string, match: (text: string, a: ChatActivity) => boolean, timeoutMs: number,
): Promise<{ activity: ChatActivity; text: string }> {
  const client = chatClient(chatUrl);
  const deadline = Date.now() + timeoutMs;
  let after = 0;
  while (Date.now() < deadline) {
    const { activities, last } = await client.changes(conversation, after, 2);
    for (const activity of activities) {
      const text = activityToText(activity);
      if (match(text, activity)) return { activity, text };
    }
    after = last;
  }
  throw new Error(`no activity in ${conversation} matched within ${timeoutMs} ms`);
}
