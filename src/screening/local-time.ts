// Minutes after local midnight in an IANA time zone, for quiet hours. One Intl formatter per zone,
// made on first use (only policies with quiet hours ever ask).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function validTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function minuteOfDay(at: number, timeZone: string): number {
  let h = 0;
  let m = 0;
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === 'hour') h = Number(part.value);
    else if (part.type === 'minute') m = Number(part.value);
  }
  return h * 60 + m;
}

/** Whether a minute of the day lies in [start, end), the window wrapping midnight when start > end. */
export function inWindow(minute: number, start: number, end: number): boolean {
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}
