// The approval state machine, table-driven: who may approve or reject what, in which state, and when.
import {
  settleInterrupted,
  approvalView,
  decide,
  effectiveState,
  expire,
  finish,
  needsApproval,
  type Approval,
  type ApprovalState,
  type Person,
  type Verdict,
} from '../../shared/core/approval-policy';

const ADA: Person = { id: 'u-ada', name: 'Ada' };
const BOB: Person = { id: 'u-bob', name: 'Bob' };
const EVE: Person = { id: 'u-eve' };
const T0 = new Date('2024-05-01T14:00:00Z');
const BEFORE = new Date('2024-05-01T14:30:00Z');
const AFTER = new Date('2024-05-01T15:00:00Z');

function approval(state: ApprovalState, extra: Partial<Approval> = {}): Approval {
  return {
    id: 'a1b2c3',
    state,
    request: { kind: 'resize', cluster: 'gpu', nodes: 12 },
    workspace: { resourceGroup: 'rg', workspace: 'ws' },
    requestedBy: ADA,
    conversationId: 'c1',
    createdAt: T0.toISOString(),
    expiresAt: '2024-05-01T15:00:00.000Z',
    ...extra,
  };
}

describe('decide', () => {
  const cases: Array<[string, Approval, Verdict, Person, Date, string[], ApprovalState | RegExp]> = [
    ['another user approves', approval('pending'), 'approve', BOB, BEFORE, [], 'approved'],
    ['the requester cannot approve', approval('pending'), 'approve', ADA, BEFORE, [], /someone else must approve/],
    [
      'the requester cannot approve even as an approver',
      approval('pending'),
      'approve',
      ADA,
      BEFORE,
      ['u-ada', 'u-bob'],
      /someone else must approve/,
    ],
    ['the requester may reject (cancel)', approval('pending'), 'reject', ADA, BEFORE, ['u-bob'], 'rejected'],
    // One person's id reaches us in more than one spelling: the requester check ignores case and outer space.
    [
      'the requester under another case cannot approve',
      approval('pending'),
      'approve',
      { id: ' U-ADA' },
      BEFORE,
      [],
      /someone else must approve/,
    ],
    [
      'the requester under another case may cancel',
      approval('pending'),
      'reject',
      { id: 'U-Ada' },
      BEFORE,
      ['u-bob'],
      'rejected',
    ],
    ['another user rejects', approval('pending'), 'reject', BOB, BEFORE, [], 'rejected'],
    ['a listed approver approves', approval('pending'), 'approve', BOB, BEFORE, ['u-bob'], 'approved'],
    [
      'an unlisted user cannot approve',
      approval('pending'),
      'approve',
      EVE,
      BEFORE,
      ['u-bob'],
      /u-eve is not one of them/,
    ],
    ['an unlisted user cannot reject', approval('pending'), 'reject', EVE, BEFORE, ['u-bob'], /configured approvers/],
    [
      'a second approve: already approved by',
      approval('approved', { decidedBy: BOB }),
      'approve',
      EVE,
      BEFORE,
      [],
      /already approved by Bob/,
    ],
    [
      'approve after it ran',
      approval('executed', { decidedBy: BOB }),
      'approve',
      EVE,
      BEFORE,
      [],
      /already approved by Bob/,
    ],
    [
      'approve after a failure',
      approval('failed', { decidedBy: BOB }),
      'reject',
      EVE,
      BEFORE,
      [],
      /already approved by Bob/,
    ],
    [
      'approve after a rejection',
      approval('rejected', { decidedBy: BOB }),
      'approve',
      EVE,
      BEFORE,
      [],
      /already rejected by Bob/,
    ],
    [
      'approve after a cancel',
      approval('rejected', { decidedBy: ADA }),
      'approve',
      BOB,
      BEFORE,
      [],
      /already cancelled by Ada/,
    ],
    ['overdue but stored pending: expires now', approval('pending'), 'approve', BOB, AFTER, [], 'expired'],
    ['already expired', approval('expired'), 'approve', BOB, AFTER, [], /expired at 2024-05-01 15:00 UTC/],
  ];
  test.each(cases)('%s', (_name, a, verdict, by, now, approvers, expected) => {
    const d = decide(a, verdict, by, now, approvers);
    if (typeof expected === 'string') {
      expect(d).toMatchObject({ ok: true, next: { state: expected } });
      if (d.ok && expected !== 'expired') expect(d.next).toMatchObject({ decidedBy: by, decidedAt: now.toISOString() });
    } else {
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.message).toMatch(expected);
    }
  });
});

describe('thresholds, expiry and results', () => {
  test.each([
    [{ kind: 'resize', cluster: 'gpu', nodes: 8 } as const, 8, false],
    [{ kind: 'resize', cluster: 'gpu', nodes: 9 } as const, 8, true],
    [{ kind: 'autoscale', cluster: 'gpu', min: 0, max: 8 } as const, 8, false],
    [{ kind: 'autoscale', cluster: 'gpu', min: 0, max: 9 } as const, 8, true],
    [{ kind: 'resize', cluster: 'gpu', nodes: 1 } as const, 0, true],
  ])('needsApproval(%j, %i) = %s', (request, threshold, expected) => {
    expect(needsApproval(request, threshold)).toBe(expected);
  });

  test.each([
    ['pending, before expiry', approval('pending'), BEFORE, undefined],
    ['pending, at expiry', approval('pending'), AFTER, 'expired'],
    ['approved, after expiry', approval('approved', { decidedBy: BOB }), AFTER, undefined],
    ['rejected, after expiry', approval('rejected', { decidedBy: BOB }), AFTER, undefined],
  ])('expire: %s', (_name, a, now, expected) => {
    expect(expire(a, now)?.state).toBe(expected);
    expect(effectiveState(a, now)).toBe(expected ?? a.state);
  });

  test('finish records the outcome and the reason of a failure', () => {
    const a = approval('approved', { decidedBy: BOB });
    expect(finish(a, { ok: true }, AFTER)).toMatchObject({ state: 'executed', finishedAt: AFTER.toISOString() });
    expect(finish(a, { ok: false, error: 'quota' }, AFTER)).toMatchObject({ state: 'failed', error: 'quota' });
  });
  test('a run cut off is settled by what it did: executed, or failed saying nothing changed; only if approved', () => {
    const a = approval('approved', { decidedBy: BOB });
    expect(settleInterrupted(a, 'done', AFTER)).toMatchObject({ state: 'executed', finishedAt: AFTER.toISOString() });
    expect(settleInterrupted(a, 'not-run', AFTER)).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/stopped before carrying it out, and nothing was changed/),
    });
    expect(settleInterrupted(approval('executed', { decidedBy: BOB }), 'not-run', AFTER)).toBeUndefined();
  });
});

describe('approvalView', () => {
  test('pending: what, who asked, until when, Approve and Reject buttons', () => {
    const v = approvalView(approval('pending'), BEFORE);
    expect(v.title).toBe('Resize gpu to 12 nodes?');
    expect(v.facts).toEqual(
      expect.arrayContaining([
        { title: 'Requested by', value: 'Ada' },
        { title: 'Expires', value: '2024-05-01 15:00 UTC' },
        { title: 'Request', value: 'a1b2c3' },
      ]),
    );
    expect(v.actions.map((a) => a.command)).toEqual(['approve a1b2c3', 'reject a1b2c3']);
  });
  test.each([
    ['executed', approval('executed', { decidedBy: BOB }), BEFORE, /Approved by Bob and done/],
    ['failed', approval('failed', { decidedBy: BOB, error: 'Quota exceeded' }), BEFORE, /failed: Quota exceeded/],
    ['cancelled', approval('rejected', { decidedBy: ADA }), BEFORE, /Cancelled by Ada/],
    ['overdue', approval('pending'), AFTER, /Expired at 2024-05-01 15:00 UTC/],
  ])('%s: no buttons to answer it any more', (_name, a, now, text) => {
    const v = approvalView(a, now);
    expect(v.text).toMatch(text);
    expect(v.actions.map((x) => x.command)).toEqual(['cluster gpu']);
  });
});
