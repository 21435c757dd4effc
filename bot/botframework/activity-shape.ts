// What the messages endpoint checks of a parsed body before botbuilder sees it: botbuilder trusts the shape
// (a null conversation, an invoke without an action or a serviceUrl that is no URL become a 500 carrying the
// exception's text). A body that fails here gets a 400 saying what was expected. Pure: JSON in, a reason out.

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Why `body` is not an activity this bot can answer, or undefined when it is. */
export function activityShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'a Bot Framework activity (a JSON object)';
  if (typeof body.type !== 'string' || !body.type) return 'an activity with a string "type"';
  if (!isObject(body.conversation) || typeof body.conversation.id !== 'string' || !body.conversation.id) {
    return 'an activity with "conversation": { "id": "<string>" }';
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it refuses control characters on purpose
  if (/[\x00-\x1f\x7f]/.test(body.conversation.id) || body.conversation.id.length > 1024)
    return 'an activity whose "conversation.id" is at most 1,024 printable characters';
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
