// The Slack app's settings: both secrets (on), neither (off: the `slack` endpoint answers 404), never one.
import { HttpRequest, InvocationContext } from '@azure/functions';
import { createSlackHandler } from '../../functions/slack';
import { loadConfig } from '../../shared/config';

const base = {
  COMPUTE_WORKSPACES: 'rg/ws',
  COMPUTE_SUBSCRIPTION_ID: 'sub',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

test("both Slack secrets turn the app on, with Slack's Web API unless SLACK_API_URL says otherwise", () => {
  expect(loadConfig({ ...base, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' }).slack).toEqual({
    signingSecret: 's',
    botToken: 'xoxb-1',
    apiUrl: 'https://slack.com/api/',
    chartEverySeconds: 300,
    fileCallsPerMinute: 20,
  });
  const charts = { SLACK_CHART_SECONDS: '60', SLACK_FILE_CALLS_PER_MINUTE: '40' };
  expect(loadConfig({ ...base, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'x', ...charts }).slack).toMatchObject({
    chartEverySeconds: 60,
    fileCallsPerMinute: 40,
  });
  expect(() =>
    loadConfig({ ...base, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'x', SLACK_CHART_SECONDS: '1' }),
  ).toThrow(/SLACK_CHART_SECONDS=1: expected a whole number ≥ 10/);
  expect(
    loadConfig({
      ...base,
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_URL: 'http://127.0.0.1:3979/api/',
    }).slack?.apiUrl,
  ).toBe('http://127.0.0.1:3979/api/');
  expect(loadConfig(base).slack).toBeUndefined();
});

test('one secret without the other is refused, saying what was expected', () => {
  expect(() => loadConfig({ ...base, SLACK_SIGNING_SECRET: 's' })).toThrow(
    /SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: expected both .* or neither/,
  );
  expect(() => loadConfig({ ...base, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/expected both/);
});

test('with the app off, /api/slack/events answers 404 and says how to turn it on', async () => {
  const handler = createSlackHandler(async () => undefined);
  const r = await handler(
    new HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/slack/events', body: { string: '{}' } }),
    new InvocationContext(),
  );
  expect(r).toMatchObject({
    status: 404,
    jsonBody: {
      error: { code: 'SlackAppOff', message: expect.stringMatching(/SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN/) },
    },
  });
});
