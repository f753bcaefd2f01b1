/**
 * Pointer gestures on the scatter: a press that moves less than 3 px is a click, more is a drag
 * (reported as deltas); plain moves are hovers; the wheel zooms; a double-click resets.
 * Coordinates are relative to the element.
 */

/** What the gestures do. */
export interface PointerHandlers {
  hover(x: number, y: number, clientX: number, clientY: number): void;
  leave(clientX: number, clientY: number): void;
  click(x: number, y: number): void;
  drag(dx: number, dy: number): void;
  /** `factor` > 1 zooms in about (x, y). */
  zoom(x: number, y: number, factor: number): void;
  reset(): void;
}

/** Listens for the gestures on `el`. */
export function attachPointer(el: HTMLElement, h: PointerHandlers): void {
  let down: { x: number; y: number; moved: boolean } | null = null;
  const local = (e: MouseEvent): [number, number] => {
    const r = el.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  el.addEventListener('pointerdown', (e) => {
    down = { x: e.clientX, y: e.clientY, moved: false };
    el.setPointerCapture(e.pointerId);
  });
  el.addEventListener('pointermove', (e) => {
    if (down && (down.moved || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 3)) {
      const dx = e.clientX - down.x;
      const dy = e.clientY - down.y;
      down = { x: e.clientX, y: e.clientY, moved: true };
      h.drag(dx, dy);
      return;
    }
    const [x, y] = local(e);
    h.hover(x, y, e.clientX, e.clientY);
  });
  el.addEventListener('pointerup', (e) => {
    const wasClick = down !== null && !down.moved;
    down = null;
    if (wasClick) h.click(...local(e));
  });
  el.addEventListener('pointerleave', (e) => {
    if (!down) h.leave(e.clientX, e.clientY);
  });
  el.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const [x, y] = local(e);
      h.zoom(x, y, Math.exp(-e.deltaY * 0.0015));
    },
    { passive: false },
  );
  el.addEventListener('dblclick', () => h.reset());
}
