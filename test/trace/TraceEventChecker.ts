/**
 * The rules of the Trace Event Format (Chrome's "Trace Event Format" document,
 * JSON Object Format) that Perfetto's and chrome://tracing's importers rely
 * on, checked on a parsed file; returns what is wrong (empty when nothing).
 */
export interface TraceDocument {
  traceEvents: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/** Phases of the format (duration B/E, complete X, instant i/I, counter C, metadata M, and the rest). */
const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'P', 'N', 'O', 'D', 'M', 'R', 'c']);
const METADATA = new Set(['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index']);

export function traceEventProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as TraceDocument).traceEvents)) {
    return ['the document is not an object with a "traceEvents" array'];
  }
  const events = (doc as TraceDocument).traceEvents;
  const lastTs = new Map<string, number>();
  const open = new Map<string, string[]>();
  const lastSliceEnd = new Map<string, number>();
  events.forEach((e, i) => {
    const at = `event ${i} (${JSON.stringify(e).slice(0, 120)})`;
    if (typeof e.name !== 'string') problems.push(`${at}: no name`);
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) problems.push(`${at}: ph ${String(e.ph)} is not a phase of the format`);
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) problems.push(`${at}: pid and tid must be integers`);
    const track = `${String(e.pid)}/${String(e.tid)}`;
    if (e.ph === 'M') {
      if (!METADATA.has(e.name as string)) problems.push(`${at}: unknown metadata event`);
      const args = e.args as Record<string, unknown> | undefined;
      if (typeof args !== 'object' || args === null) problems.push(`${at}: metadata without args`);
      else if ((e.name as string).endsWith('_name') && typeof args.name !== 'string') problems.push(`${at}: a name event needs args.name`);
      else if ((e.name as string).endsWith('_sort_index') && !Number.isInteger(args.sort_index)) problems.push(`${at}: a sort index event needs args.sort_index`);
      return;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) {
      problems.push(`${at}: ts must be a number of microseconds >= 0`);
      return;
    }
    const prev = lastTs.get(track);
    if (prev !== undefined && e.ts < prev) problems.push(`${at}: ts ${e.ts} goes back on track ${track} (previous ${prev})`);
    lastTs.set(track, e.ts);
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || !(e.dur >= 0)) problems.push(`${at}: X event without a duration >= 0`);
      // Complete events on one track may nest but not overlap partly; tskvm's never nest.
      const end = lastSliceEnd.get(track);
      if (end !== undefined && e.ts < end - 1e-9) problems.push(`${at}: slice starts at ${e.ts}, before the previous one on ${track} ended (${end})`);
      lastSliceEnd.set(track, e.ts + (e.dur as number));
    }
    if (e.ph === 'i' || e.ph === 'I') {
      if (e.s !== undefined && e.s !== 't' && e.s !== 'p' && e.s !== 'g') problems.push(`${at}: instant scope must be t, p or g`);
    }
    if (e.ph === 'B') open.set(track, [...(open.get(track) ?? []), e.name as string]);
    if (e.ph === 'E') {
      const stack = open.get(track) ?? [];
      if (stack.length === 0) problems.push(`${at}: E without a B on ${track}`);
      stack.pop();
      open.set(track, stack);
    }
  });
  for (const [track, stack] of open) if (stack.length > 0) problems.push(`track ${track}: ${stack.length} B event(s) never ended`);
  return problems;
}
