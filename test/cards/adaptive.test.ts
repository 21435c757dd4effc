import { renderAdaptive, type AdaptiveElement } from '../../cards/adaptive';
import { validateAdaptiveCard } from '../../cards/validate';
import { byteSize, MAX_CARD_BYTES } from '../../cards/fit';
import type { JobView, View } from '../../shared/core/views';
import { allViews, tailLines } from './fixtures';

const views = allViews();
const kinds = Object.keys(views) as Array<View['kind']>;

/** Every element of a card, depth first (body, containers, action sets, select actions). */
function walk(x: unknown, out: AdaptiveElement[] = []): AdaptiveElement[] {
  if (Array.isArray(x)) x.forEach((e) => walk(e, out));
  else if (x && typeof x === 'object') {
    const o = x as AdaptiveElement;
    if (typeof o.type === 'string') out.push(o);
    for (const v of Object.values(o)) walk(v, out);
  }
  return out;
}

describe('renderAdaptive', () => {
  test.each(
    kinds.flatMap(
      (k) =>
        [
          [k, 'execute'],
          [k, 'submit'],
        ] as const,
    ),
  )('%s (%s) validates with zero SDK messages', (kind, style) => {
    const card = renderAdaptive(views[kind], style);
    expect(card.version).toBe('1.5');
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(byteSize(card)).toBeLessThan(MAX_CARD_BYTES);
  });

  test('Teams buttons: Action.Execute, verb "command"; web chat buttons: Action.Submit; both carry the command', () => {
    const teams = walk(renderAdaptive(views.job, 'execute')).filter((e) => e.type.startsWith('Action.'));
    const web = walk(renderAdaptive(views.job, 'submit')).filter((e) => e.type.startsWith('Action.'));
    expect(teams.map((a) => [a.type, a.verb, a.data])).toContainEqual([
      'Action.Execute',
      'command',
      { command: 'job demo_experiment/demo_job' },
    ]);
    expect(teams.every((a) => a.type === 'Action.Execute')).toBe(true);
    expect(web.map((a) => [a.type, a.data])).toContainEqual([
      'Action.Submit',
      { command: 'logs demo_experiment/demo_job' },
    ]);
    expect(web.every((a) => a.type === 'Action.Submit')).toBe(true);
  });

  test('stdout tail: monospace TextRuns per line, as written (no Markdown escapes), indent kept, label outside', () => {
    const card = renderAdaptive(views.job);
    const els = walk(card);
    const mono = els.filter((e) => e.fontType === 'Monospace');
    expect(mono.every((e) => e.type === 'TextRun')).toBe(true);
    expect(mono.map((e) => e.text)).toHaveLength(tailLines.length);
    expect(mono[2].text).toBe('\u00a0\u00a0File "train.py", line 3');
    expect(mono[3].text).toBe('*bold* _x_ <b>&amp; [link](http://x)');
    const texts = els.map((e) => e.text).filter((t): t is string => typeof t === 'string');
    expect(
      texts.some((t) =>
        /^\[stdout\.txt\]\(https:\/\/storage_account_name\.file\.core\.windows\.net\/.*stdout\.txt\?sv=/.test(t),
      ),
    ).toBe(true);
    expect(texts).toContain('The end of stdout.txt (47 KB in all): Logs shows more.');
    // The label is a sibling before the emphasis container that holds only the lines.
    const label = card.body.findIndex((e) => e.text === '**stdout.txt**');
    expect(card.body.slice(label + 1).find((e) => e.type === 'Container')?.items).toHaveLength(tailLines.length);
  });

  test('the job card names the job once (title) and its state once, with its colour', () => {
    const card = renderAdaptive(views.job);
    const texts = walk(card)
      .map((e) => e.text)
      .filter((t): t is string => typeof t === 'string');
    expect(texts.filter((t) => t.includes('demo_job'))).toEqual(['Job demo_experiment/demo_job']);
    const state = walk(card).filter((e) => typeof e.text === 'string' && /Succeeded/.test(e.text));
    expect(state).toEqual([
      expect.objectContaining({ text: 'Succeeded · exit code 0 · 4m 16s', color: 'Good', weight: 'Bolder' }),
    ]);
    const facts = walk(card).find((e) => e.type === 'FactSet')?.facts as Array<{ title: string }>;
    expect(facts.map((f) => f.title)).toEqual(['Cluster', 'Tool', 'Ran']);
  });

  test('a cut output listing says how many files it shows of more', () => {
    const job = views.job as JobView;
    const outputs = job.outputs!.map((o) => ({ ...o, more: true }));
    const texts = walk(renderAdaptive({ ...job, outputs })).map((e) => e.text);
    const n = outputs[0]!.files.length;
    expect(texts.join('\n')).toContain(`Showing ${n} of more: the directory holds more files than are listed.`);
  });

  test('a long document (dry run, template) is cut at the bottom with "… N more lines"', () => {
    const code = JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => i) }, null, 2);
    const card = renderAdaptive({ kind: 'text', title: 'Dry run', text: 'x', code, codeLabel: 'Request', actions: [] });
    const mono = walk(card)
      .filter((e) => e.fontType === 'Monospace')
      .map((e) => e.text);
    expect(mono.slice(0, 2)).toEqual(['{', '\u00a0\u00a0"items": [']);
    expect(mono).toHaveLength(60);
    expect(walk(card).map((e) => e.text)).toContain(`… ${code.split('\n').length - 60} more lines`);
    expect(walk(card).map((e) => e.text)).toContain('**Request**');
  });

  test('escapes user text that looks like Markdown lists, headings and date functions', () => {
    const card = renderAdaptive({
      kind: 'error',
      title: '# not a heading',
      message: '1. not a list\n- nor this {{DATE(2017-02-14T06:00:00Z)}}',
      actions: [],
    });
    const texts = walk(card).map((e) => e.text);
    expect(texts).toContain('\\# not a heading');
    expect(texts).toContain('1\\. not a list\n\\- nor this \\{\\{DATE(2017-02-14T06:00:00Z)\\}\\}');
  });

  test('a huge tail is trimmed from the top below 28 KB and says so; the last line stays', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `step ${i} ${'x'.repeat(60)}`);
    const view: JobView = {
      ...(views.job as JobView),
      tails: [{ file: 'stdout.txt', lines, truncated: false, size: 400000 }],
    };
    const card = renderAdaptive(view, 'execute');
    expect(byteSize(card)).toBeLessThan(MAX_CARD_BYTES);
    expect(validateAdaptiveCard(card)).toEqual([]);
    const mono = walk(card)
      .filter((e) => e.fontType === 'Monospace')
      .map((e) => e.text);
    expect(mono[mono.length - 1]).toBe(`step 4999 ${'x'.repeat(60)}`);
    expect(walk(card).some((e) => typeof e.text === 'string' && /^… \d+ more lines above$/.test(e.text))).toBe(true);
  });

  test('a huge job list is cut at the bottom with a count', () => {
    const job = (views['job-list'] as Extract<View, { kind: 'job-list' }>).jobs[0];
    const card = renderAdaptive({
      kind: 'job-list',
      title: 'Jobs',
      jobs: Array.from({ length: 2000 }, (_, i) => ({ ...job, name: `job${i}` })),
      more: 0,
    });
    expect(byteSize(card)).toBeLessThan(MAX_CARD_BYTES);
    const more = /… and \d+ more not shown\./;
    expect(walk(card).some((e) => typeof e.text === 'string' && more.test(e.text))).toBe(true);
  });

  test.each(kinds)('Teams snapshot: %s', (kind) => {
    expect(renderAdaptive(views[kind], 'execute')).toMatchSnapshot();
  });
});

describe('validateAdaptiveCard', () => {
  test('reports what is wrong with a bad card', () => {
    const messages = validateAdaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlok', text: 'x' }, { type: 'Image' }],
      actions: [{ type: 'Action.OpenUrl', title: 'x' }],
    });
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.join('\n')).toMatch(/TextBlok/);
  });
});
