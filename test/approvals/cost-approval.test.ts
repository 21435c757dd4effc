// Cost-aware approvals, pure: the price table, the estimate on the card, and a request above the hourly budget
// waiting for an approver even under the node threshold.
import { approvalReason, approvalView, type Approval } from '../../shared/core/approval-policy';
import { costNow, costText, estimate, mergePrices, pricePerNodeHour, SHIPPED_PRICES } from '../../shared/core/prices';

test('the shipped table prices every series the issue names, with its date and source', () => {
  for (const size of [
    'Standard_NC6',
    'Standard_NC6s_v2',
    'Standard_NC24s_v3',
    'Standard_ND24s',
    'Standard_ND40rs_v2',
    'Standard_NV12',
    'Standard_D4s_v3',
    'Standard_F8s_v2',
  ]) {
    expect(pricePerNodeHour(SHIPPED_PRICES, size)).toBeGreaterThan(0);
  }
  expect(SHIPPED_PRICES.takenOn).toMatch(/^\d{4}-\d{2}/);
  expect(SHIPPED_PRICES.source).toMatch(/azure\.microsoft\.com\/pricing/);
  expect(pricePerNodeHour(SHIPPED_PRICES, 'STANDARD_NC6', 'West Europe')).toBeGreaterThan(
    pricePerNodeHour(SHIPPED_PRICES, 'standard_nc6')!,
  );
  expect(pricePerNodeHour(SHIPPED_PRICES, 'standard_unknown')).toBeUndefined();
});

test('a file overrides and extends the table; a bad one says what was expected', () => {
  const t = mergePrices(
    SHIPPED_PRICES,
    {
      takenOn: '2026-11',
      source: 'our EA',
      sizes: { Standard_NC6: { default: 0.5 }, custom_x: { default: 2, regions: { eastus2: 3 } } },
    },
    'prices.json',
  );
  expect(pricePerNodeHour(t, 'standard_nc6')).toBe(0.5);
  expect(pricePerNodeHour(t, 'custom_x', 'eastus2')).toBe(3);
  expect(pricePerNodeHour(t, 'standard_nv6')).toBe(pricePerNodeHour(SHIPPED_PRICES, 'standard_nv6'));
  expect(t.takenOn).toBe('2026-11');
  expect(() => mergePrices(SHIPPED_PRICES, { sizes: { x: { default: -1 } } }, 'prices.json')).toThrow(
    /sizes.x.default: expected a price per hour ≥ 0/,
  );
  expect(() => mergePrices(SHIPPED_PRICES, [], 'prices.json')).toThrow(/expected \{ "takenOn"/);
});

test('above the budget per hour needs an approver even under the node threshold', () => {
  const e = estimate(SHIPPED_PRICES, 'STANDARD_NC24s_v3', undefined, 1, 3);
  expect(e.perHour).toBeCloseTo(36.72);
  expect(approvalReason({ kind: 'resize', cluster: 'gpu', nodes: 3 }, 8, { estimate: e, budgetPerHour: 20 })).toMatch(
    /would cost \$36\.72\/h .*above the budget of \$20\.00\/h/,
  );
  expect(
    approvalReason({ kind: 'resize', cluster: 'gpu', nodes: 3 }, 8, { estimate: e, budgetPerHour: 50 }),
  ).toBeUndefined();
  expect(approvalReason({ kind: 'resize', cluster: 'gpu', nodes: 3 }, 8, { estimate: e })).toBeUndefined();
  expect(approvalReason({ kind: 'resize', cluster: 'gpu', nodes: 9 }, 8)).toMatch(/threshold of 8 nodes/);
  // A size the table lacks is never "above budget": the node threshold still applies.
  expect(
    approvalReason({ kind: 'resize', cluster: 'gpu', nodes: 3 }, 8, {
      estimate: estimate(SHIPPED_PRICES, 'odd', undefined, 1, 3),
      budgetPerHour: 0,
    }),
  ).toBeUndefined();
});

test('the approval card shows before → after, VM size, cost per hour and per day, requester and expiry', () => {
  const a: Approval = {
    id: 'a1b2c3',
    state: 'pending',
    request: { kind: 'resize', cluster: 'gpu', nodes: 3 },
    workspace: { resourceGroup: 'rg', workspace: 'ws' },
    requestedBy: { id: 'eve', name: 'Eve' },
    conversationId: 'c',
    createdAt: '2026-12-01T10:00:00.000Z',
    expiresAt: '2026-12-01T11:00:00.000Z',
    estimate: estimate(SHIPPED_PRICES, 'STANDARD_NC6', undefined, 1, 3),
  };
  const v = approvalView(a, new Date('2026-12-01T10:05:00Z'));
  const facts = Object.fromEntries((v.facts ?? []).map((f) => [f.title, f.value]));
  expect(facts).toMatchObject({
    Nodes: '1 → 3',
    'VM size': 'STANDARD_NC6',
    'Requested by': 'Eve',
    Expires: '2026-12-01 11:00 UTC',
  });
  expect(facts.Cost).toBe('$2.70/h ($64.80/day, prices of 2020-01)');
  expect(costText(estimate(SHIPPED_PRICES, 'odd', undefined, 0, 2))).toBe('price unknown for odd');
});

test('the cost of clusters now: nodes × price, unknown sizes left out', () => {
  expect(
    costNow(SHIPPED_PRICES, [
      { vmSize: 'STANDARD_NC6', currentNodeCount: 2 },
      { vmSize: 'standard_d2_v2', currentNodeCount: 1 },
      { vmSize: 'odd', currentNodeCount: 9 },
    ]),
  ).toBe(1.91);
  expect(costNow(SHIPPED_PRICES, [{ vmSize: 'odd', currentNodeCount: 9 }])).toBeUndefined();
});
