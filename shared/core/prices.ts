// What nodes cost, for approvals and cards: USD per node-hour by VM size (lower-cased), per region where it
// differs. The shipped table covers the sizes Batch AI and Azure Batch users ran (NC, NCv2, NCv3, ND, NDv2,
// NV, D, F series). A deployment overrides or extends it with a file (PRICES_FILE, same shape) because its
// agreement prices differ; the card always says which table and date a figure comes from.

export interface PriceTable {
  /** When the prices were taken (YYYY-MM or a date). */
  takenOn: string;
  source: string;
  currency: 'USD';
  /** vmSize (lower case) → price per node-hour: `default`, and `regions` where a region differs. */
  sizes: Record<string, { default: number; regions?: Record<string, number> }>;
}

const p = (d: number, regions?: Record<string, number>) => (regions ? { default: d, regions } : { default: d });

export const SHIPPED_PRICES: PriceTable = {
  takenOn: '2020-01',
  source:
    'Azure pay-as-you-go Linux list prices (azure.microsoft.com/pricing/details/virtual-machines/linux/), ' +
    'East US unless a region is named; approximate — set PRICES_FILE for your own prices',
  currency: 'USD',
  sizes: {
    // NC (K80)
    standard_nc6: p(0.9, { westeurope: 1.08 }),
    standard_nc12: p(1.8, { westeurope: 2.16 }),
    standard_nc24: p(3.6, { westeurope: 4.32 }),
    standard_nc24r: p(3.96),
    // NCv2 (P100)
    standard_nc6s_v2: p(2.07),
    standard_nc12s_v2: p(4.14),
    standard_nc24s_v2: p(8.28),
    standard_nc24rs_v2: p(9.108),
    // NCv3 (V100)
    standard_nc6s_v3: p(3.06, { westeurope: 3.366 }),
    standard_nc12s_v3: p(6.12, { westeurope: 6.732 }),
    standard_nc24s_v3: p(12.24, { westeurope: 13.464 }),
    standard_nc24rs_v3: p(13.464),
    // ND (P40), NDv2 (8× V100)
    standard_nd6s: p(2.07),
    standard_nd12s: p(4.14),
    standard_nd24s: p(8.28),
    standard_nd24rs: p(9.108),
    standard_nd40rs_v2: p(22.032),
    // NV (M60)
    standard_nv6: p(1.14),
    standard_nv12: p(2.28),
    standard_nv24: p(4.56),
    // D (general purpose)
    standard_d1_v2: p(0.057),
    standard_d2_v2: p(0.114),
    standard_d3_v2: p(0.229),
    standard_d4_v2: p(0.458),
    standard_d5_v2: p(0.916),
    standard_d2s_v3: p(0.096),
    standard_d4s_v3: p(0.192),
    standard_d8s_v3: p(0.384),
    standard_d16s_v3: p(0.768),
    standard_d2_v3: p(0.096),
    standard_d4_v3: p(0.192),
    standard_d8_v3: p(0.384),
    standard_d16_v3: p(0.768),
    // F (compute optimised)
    standard_f2s_v2: p(0.085),
    standard_f4s_v2: p(0.169),
    standard_f8s_v2: p(0.338),
    standard_f16s_v2: p(0.677),
    standard_f32s_v2: p(1.353),
    standard_f72s_v2: p(3.045),
    standard_f1: p(0.05),
    standard_f2: p(0.1),
    standard_f4: p(0.199),
    standard_f8: p(0.398),
    standard_f16: p(0.796),
  },
};

/** USD per node-hour of `vmSize` in `region`, or undefined when the table does not know the size. */
export function pricePerNodeHour(table: PriceTable, vmSize: string, region?: string): number | undefined {
  const entry = table.sizes[vmSize.toLowerCase()];
  if (!entry) return undefined;
  const regional = region ? entry.regions?.[region.toLowerCase().replace(/\s+/g, '')] : undefined;
  return regional ?? entry.default;
}

export interface CostEstimate {
  vmSize: string;
  /** Nodes now (manual target or auto-scale maximum) and after the request. */
  before: number;
  after: number;
  /** Per hour at `after` nodes; undefined when the size is not in the table. */
  perHour?: number;
  takenOn: string;
}

export function estimate(
  table: PriceTable,
  vmSize: string,
  region: string | undefined,
  before: number,
  after: number,
): CostEstimate {
  const price = pricePerNodeHour(table, vmSize, region);
  return {
    vmSize,
    before,
    after,
    ...(price === undefined ? {} : { perHour: Math.round(price * after * 100) / 100 }),
    takenOn: table.takenOn,
  };
}

/** "$12.24/h ($293.76/day)", or "price unknown" for a size the table lacks. */
export function costText(e: CostEstimate): string {
  if (e.perHour === undefined) return `price unknown for ${e.vmSize}`;
  return `$${e.perHour.toFixed(2)}/h ($${(e.perHour * 24).toFixed(2)}/day, prices of ${e.takenOn})`;
}

/** What the nodes of these clusters cost per hour now; undefined when no size is in the table. */
export function costNow(
  table: PriceTable,
  clusters: ReadonlyArray<{ vmSize: string; currentNodeCount: number }>,
): number | undefined {
  const known = clusters
    .map((c) => ({ c, price: pricePerNodeHour(table, c.vmSize) }))
    .filter((x) => x.price !== undefined);
  return known.length
    ? Math.round(known.reduce((sum, x) => sum + x.price! * x.c.currentNodeCount, 0) * 100) / 100
    : undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The shipped table with a file's entries over it; throws saying what was expected. */
export function mergePrices(base: PriceTable, json: unknown, where: string): PriceTable {
  if (!isObj(json) || !isObj(json.sizes))
    throw new Error(
      `${where}: expected { "takenOn", "source", "sizes": { "<vmSize>": { "default": <USD per hour> } } }`,
    );
  const sizes = { ...base.sizes };
  for (const [size, v] of Object.entries(json.sizes)) {
    if (!isObj(v) || typeof v.default !== 'number' || !(v.default >= 0))
      throw new Error(`${where}: sizes.${size}.default: expected a price per hour ≥ 0`);
    const regions = isObj(v.regions)
      ? (Object.fromEntries(Object.entries(v.regions).filter(([, x]) => typeof x === 'number' && x >= 0)) as Record<
          string,
          number
        >)
      : undefined;
    sizes[size.toLowerCase()] = regions ? { default: v.default, regions } : { default: v.default };
  }
  return {
    takenOn: typeof json.takenOn === 'string' ? json.takenOn : base.takenOn,
    source: typeof json.source === 'string' ? json.source : `${where} over the shipped table`,
    currency: 'USD',
    sizes,
  };
}
