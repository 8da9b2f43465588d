/** Windowing for long tables: which rows of a fixed-height list are on screen (plus overscan). */

export interface RowWindow {
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

/** Rows [start, end) to render for a viewport of `viewport` px scrolled to `scrollTop`. */
export function rowWindow(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 10): RowWindow {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start: first, end: Math.max(first, last), padTop: first * rowHeight, padBottom: Math.max(0, (count - last) * rowHeight) };
}
