// A template's `progress` options: its own stall window and chart metric, checked when it is loaded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../../shared/templates/templates';

const job = {
  properties: {
    nodeCount: 1,
    customToolkitSettings: { commandLine: 'echo hi' },
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
  },
};

describe('template progress options', () => {
  it('reads stallMinutes and metric', () => {
    const t = parseTemplate({ ...job, progress: { stallMinutes: 5, metric: 'val_loss' } }, 'p');
    expect(t.progress).toEqual({ stallMinutes: 5, metric: 'val_loss' });
    expect(parseTemplate(job, 'q').progress).toBeUndefined();
  });

  it('refuses what it does not know, saying what was expected', () => {
    expect(() => parseTemplate({ ...job, progress: { stallMinutes: 0 } }, 'p')).toThrow(/whole minutes from 1/);
    expect(() => parseTemplate({ ...job, progress: { stall: 5 } }, 'p')).toThrow(/allowed: stallMinutes, metric/);
  });

  it('the shipped hang example sets its own stall window', () => {
    const hang = JSON.parse(readFileSync(join(__dirname, '..', '..', 'templates', 'hang.json'), 'utf8')) as unknown;
    expect(parseTemplate(hang, 'hang').progress).toEqual({ stallMinutes: 2 });
  });
});
