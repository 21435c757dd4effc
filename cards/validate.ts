// Validates Adaptive Card JSON with the adaptivecards SDK's object model (no DOM needed). Used by the card
// tests and the bot's tests: zero messages means the SDK parsed every element and found nothing wrong.
import type * as ACTypes from 'adaptivecards';

// `require('adaptivecards')` loads lib/, extension-less ESM that Node cannot run; the dist bundle is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: no import form loads the bundle
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof ACTypes;

/** Every parse and validation message, as `phase/event: message`; [] for a valid card. */
export function validateAdaptiveCard(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const messages: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    messages.push(`parse/${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) {
    messages.push(`validate/${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  return messages;
}
