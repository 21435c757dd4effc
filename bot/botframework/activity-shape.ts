// What the messages endpoint checks of a parsed body before botbuilder sees it: botbuilder trusts the shape
// (a null conversation, an invoke without an action or a serviceUrl that is no URL become a 500 carrying the
// exception's text). A body that fails here gets a 400 saying what was expected. Pure: JSON in, a reason out.

import { idFieldsProblem, malformedTextAt, wellFormedExpected } from '../../shared/core/wire-text';

/** Ids botbuilder puts into URLs and we put into table keys: each absent or printable and at most 1,024 long. */
const ID_FIELDS = [
  'conversation.id',
  'conversation.tenantId',
  'from.id',
  'from.aadObjectId',
  'recipient.id',
  'id',
  'replyToId',
  'channelId',
  'channelData.tenant.id',
  'channelData.team.id',
  'channelData.channel.id',
];

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Why `body` is not an activity this bot can answer, or undefined when it is. */
export function activityShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'a Bot Framework activity (a JSON object)';
  if (typeof body.type !== 'string' || !body.type) return 'an activity with a string "type"';
  if (!isObject(body.conversation) || typeof body.conversation.id !== 'string' || !body.conversation.id) {
    return 'an activity with "conversation": { "id": "<string>" }';
  }
  // Before serviceUrl: a malformed id breaks the reply's URL, which would otherwise be blamed on serviceUrl.
  const malformed = malformedTextAt(body);
  if (malformed) return `an activity with ${wellFormedExpected(malformed)}`;
  const ids = idFieldsProblem(body, ID_FIELDS);
  if (ids) return `an activity ${ids}`;
  if (
    typeof body.serviceUrl !== 'string' ||
    !/^https?:\/\/[^\s/]+/i.test(body.serviceUrl) ||
    !URL.canParse(body.serviceUrl)
  ) {
    return 'an activity with an http(s) "serviceUrl"';
  }
  if (body.from !== undefined && body.from !== null && (!isObject(body.from) || typeof body.from.id !== 'string')) {
    return 'an activity whose "from" has a string "id"';
  }
  if (body.type === 'invoke' && body.name === 'adaptiveCard/action') {
    const value = body.value;
    if (!isObject(value) || !isObject(value.action))
      return 'an adaptiveCard/action invoke with "value": { "action": { ... } }';
  }
  return undefined;
}
