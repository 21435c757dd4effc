// The queues the functions trigger on, in a module of their own: a function definition names its queue
// without loading the storage SDKs (they load on the function's first call).
export const EVENTS_QUEUE = 'events';
export const FOLLOWUPS_QUEUE = 'followups';
export const SLACK_TURNS_QUEUE = 'slack-turns';
export const CARD_ACTIONS_QUEUE = 'card-actions';
