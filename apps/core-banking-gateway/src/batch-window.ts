/**
 * The nightly batch window of the core: a daily span of UTC time-of-day, `HH:MM-HH:MM`, during
 * which the batch runs own the files and updates are refused. It may pass midnight (22:00-02:00).
 */
export interface BatchWindow {
  /** Minutes after midnight UTC, start inclusive. */
  startMinute: number;
  /** Minutes after midnight UTC, end exclusive. */
  endMinute: number;
}

const MINUTES_A_DAY = 24 * 60;
const WINDOW = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** `"01:00-03:00"` → a window; `""` → none. A start equal to the end is refused: it is either nothing or all day. */
export function parseBatchWindow(text: string): BatchWindow | undefined {
  if (text === '') return undefined;
  const match = WINDOW.exec(text);
  if (!match) throw new RangeError('expected HH:MM-HH:MM');
  const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number);
  if (startHour > 23 || endHour > 23 || startMinute > 59 || endMinute > 59) throw new RangeError('hours 00-23, minutes 00-59');
  const window = { startMinute: startHour * 60 + startMinute, endMinute: endHour * 60 + endMinute };
  if (window.startMinute === window.endMinute) throw new RangeError('start and end are the same time');
  return window;
}

/**
 * Seconds from `now` until the window closes, rounded up, when `now` is inside it; 0 outside.
 * (What MSG-RETRY-SECONDS carries on a batch-window refusal.)
 */
export function secondsUntilWindowCloses(window: BatchWindow | undefined, now: Date): number {
  if (!window) return 0;
  const msIntoDay = now.getTime() - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = window.startMinute * 60_000;
  const end = window.endMinute * 60_000;
  const dayMs = MINUTES_A_DAY * 60_000;
  // Offset of now and of the end from the window's start, on the 24-hour circle.
  const sinceStart = (msIntoDay - start + dayMs) % dayMs;
  const length = (end - start + dayMs) % dayMs;
  if (sinceStart >= length) return 0;
  return Math.max(1, Math.ceil((length - sinceStart) / 1000));
}
