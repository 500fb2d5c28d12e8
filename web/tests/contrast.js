// Loaded by test_browser_site.py: WCAG AA contrast of every text on the page (see the comment there).
() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const blend = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  // The colours behind an element: its background colours down to an opaque one; a gradient gives one candidate
  // per colour stop (each checked: text must be readable across the whole gradient).
  const backgrounds = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const cs = getComputedStyle(e);
      const stops = cs.backgroundImage.includes('gradient') ? (cs.backgroundImage.match(/rgba?\([^)]+\)/g) || []) : [];
      const b = parse(cs.backgroundColor);
      if (b && b[3] > 0) layers.push(b);
      if (stops.length) { const under = e.parentElement ? backgrounds(e.parentElement) : [[11, 13, 18, 1]];
        const out = [];
        for (const u of under) for (const g of stops) out.push(layers.reduceRight((acc, l) => blend(l, acc), blend(parse(g), u)));
        return out; }
      if (b && b[3] >= 1) break; }
    return [layers.reduceRight((acc, l) => blend(l, acc), [11, 13, 18, 1])]; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden], .visually-hidden, .skip-link, .poster-fallback')) continue;
    let opacity = 1; for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const fg = parse(style.color); fg[3] *= opacity;
    const ratio = Math.min(...backgrounds(el).map(bg => { const a = lum(blend(fg, bg)), b = lum(bg);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }));
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
  }
  return out;
}
