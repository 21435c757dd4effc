// Validates Adaptive Card JSON with the adaptivecards SDK's object model (no DOM needed). Used by the card
// tests and the bot's tests: zero messages means the SDK parsed every element and found nothing wrong.
// The SDK predates Teams' chart elements; `Chart.Line` is taught here (its shape as Teams documents it: a
// `data` list of series, each a `legend` and `values` of `{ x, y }`, y numeric), so a chart is checked rather
// than passed over as an unknown element.
import type * as ACTypes from 'adaptivecards';

// `require('adaptivecards')` loads lib/, extension-less ESM that Node cannot run; the dist bundle is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: no import form loads the bundle
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof ACTypes;

import { MAX_CHART_POINTS as MAX_CHART_POINTS_TEAMS } from './card-model';

function lineChartProblems(data: unknown): string[] {
  if (!Array.isArray(data) || data.length === 0) return ['Chart.Line needs a non-empty data list of series'];
  const out: string[] = [];
  data.forEach((s: unknown, i) => {
    const series = s as { legend?: unknown; values?: unknown };
    if (typeof series?.legend !== 'string') out.push(`Chart.Line data[${i}] needs a legend`);
    if (!Array.isArray(series?.values) || series.values.length === 0) {
      out.push(`Chart.Line data[${i}] needs values`);
      return;
    }
    if (series.values.length > MAX_CHART_POINTS_TEAMS)
      out.push(`Chart.Line data[${i}] has ${series.values.length} points, over Teams' ${MAX_CHART_POINTS_TEAMS}`);
    series.values.forEach((v: unknown, j) => {
      const p = v as { x?: unknown; y?: unknown };
      if (typeof p?.y !== 'number' || !Number.isFinite(p.y) || (typeof p.x !== 'number' && typeof p.x !== 'string'))
        out.push(`Chart.Line data[${i}].values[${j}] needs a numeric y and an x`);
    });
  });
  return out;
}

class LineChart extends AC.CardElement {
  data: unknown;
  getJsonTypeName(): string {
    return 'Chart.Line';
  }
  protected override internalParse(source: ACTypes.PropertyBag, context: ACTypes.SerializationContext): void {
    super.internalParse(source, context);
    this.data = source.data;
  }
  protected internalRender(): HTMLElement | undefined {
    return undefined; // validation only: no DOM here
  }
  override internalValidateProperties(context: ACTypes.ValidationResults): void {
    super.internalValidateProperties(context);
    for (const m of lineChartProblems(this.data)) context.addFailure(this, AC.ValidationEvent.InvalidPropertyValue, m);
  }
}

function registry(): ACTypes.CardObjectRegistry<ACTypes.CardElement> {
  const r = new AC.CardObjectRegistry<ACTypes.CardElement>();
  AC.GlobalRegistry.populateWithDefaultElements(r);
  r.register('Chart.Line', LineChart, AC.Versions.v1_5);
  return r;
}

/** Every parse and validation message, as `phase/event: message`; [] for a valid card. */
export function validateAdaptiveCard(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  context.setElementRegistry(registry());
  card.parse(json, context);
  const messages: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    messages.push(`parse/${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) {
    messages.push(`validate/${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  return messages;
}
