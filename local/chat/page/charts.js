// Teams' Chart.Line for the page's Adaptive Cards renderer, which predates chart elements: registered as a card
// element that draws its series as an SVG polyline (axes, the first and last values, the metric's name). Hosts
// that know no charts (Web Chat) would show the element's fallback text instead; the page plays Teams.
(() => {
  'use strict';
  const AC = window.AdaptiveCards;
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 320;
  const H = 140;
  const PAD = 24;

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const fmt = (v) => String(Number(Number(v).toPrecision(4)));

  class LineChart extends AC.CardElement {
    getJsonTypeName() {
      return 'Chart.Line';
    }
    internalParse(source, context) {
      super.internalParse(source, context);
      this.chartTitle = typeof source.title === 'string' ? source.title : '';
      this.series = Array.isArray(source.data) ? source.data : [];
    }
    internalRender() {
      const box = document.createElement('div');
      box.className = 'ac-chart-line';
      const values = (this.series[0]?.values || []).filter((p) => Number.isFinite(p.y));
      const label = this.chartTitle;
      const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': label });
      root.append(svg('text', { x: PAD, y: 12, 'font-size': 11 }, this.chartTitle));
      root.append(svg('line', { x1: PAD, y1: H - PAD, x2: W - 8, y2: H - PAD, stroke: '#999' }));
      root.append(svg('line', { x1: PAD, y1: 18, x2: PAD, y2: H - PAD, stroke: '#999' }));
      if (values.length >= 2) {
        const xs = values.map((p) => Number(p.x));
        const ys = values.map((p) => p.y);
        const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
        const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
        const px = (x) => PAD + ((x - x0) / (x1 - x0 || 1)) * (W - PAD - 8);
        const py = (y) => H - PAD - ((y - y0) / (y1 - y0 || 1)) * (H - PAD - 18);
        const pts = values.map((p) => `${px(Number(p.x)).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
        root.append(svg('polyline', { points: pts, fill: 'none', stroke: '#4f5bd5', 'stroke-width': 2 }));
        root.append(svg('text', { x: PAD + 2, y: H - 6, 'font-size': 10 }, `${fmt(xs[0])}: ${fmt(ys[0])}`));
        const last = `${fmt(xs[xs.length - 1])}: ${fmt(ys[ys.length - 1])}`;
        root.append(svg('text', { x: W - 8, y: H - 6, 'font-size': 10, 'text-anchor': 'end' }, last));
      }
      box.append(root);
      return box;
    }
  }

  AC.GlobalRegistry.elements.register('Chart.Line', LineChart, AC.Versions.v1_5);
})();
