import { ADAPTIVE_CARD_CONTENT_TYPE, toActivity } from '../../cards/activity';
import { validateAdaptiveCard } from '../../cards/validate';
import { allViews } from './fixtures';

const view = allViews().job;

describe('toActivity', () => {
  test('msteams: an Adaptive Card 1.5 with Action.Execute', () => {
    const a = toActivity(view, 'msteams');
    expect(a.type).toBe('message');
    // The line goes to `summary` (notifications); `text` would repeat the card's title above it.
    expect(a.summary).toBe('Job demo_experiment/demo_job: succeeded (exit code 0)');
    expect(a.text).toBeUndefined();
    expect(a.attachments?.[0].contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    expect(a.attachments?.[0].content.actions?.[0]).toMatchObject({ type: 'Action.Execute', verb: 'command' });
    expect(validateAdaptiveCard(a.attachments?.[0].content)).toEqual([]);
    expect(a.channelData).toBeUndefined();
  });

  test('webchat: an Adaptive Card with Action.Submit', () => {
    const a = toActivity(view, 'webchat');
    expect(a.attachments?.[0].content.actions?.[0]).toEqual({
      type: 'Action.Submit',
      title: 'Refresh',
      data: { command: 'job demo_experiment/demo_job' },
    });
  });

  test('slack: text plus Block Kit in channelData, no attachment', () => {
    const a = toActivity(view, 'slack');
    expect(a.attachments).toBeUndefined();
    expect(a.text).toBe('Job demo_experiment/demo_job: succeeded (exit code 0)');
    expect(a.channelData?.blocks[0].type).toBe('header');
  });
});
