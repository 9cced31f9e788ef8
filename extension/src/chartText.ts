/**
 * Text for a Plotly annotation: escaped (Plotly reads annotation text as a little HTML) and broken into lines that
 * fit `widthPx` at `fontPx`; Plotly does not wrap annotations, so a long one runs off both sides of the chart.
 */
export function annotationText(text: string, widthPx: number, fontPx: number): string {
  // an average glyph of the UI's sans-serif font is a little over half its size
  const perLine = Math.max(20, Math.floor(widthPx / (fontPx * 0.58)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map(escapeText).join('<br>');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
