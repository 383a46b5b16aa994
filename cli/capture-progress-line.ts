/**
 * The capture's progress on standard error, once it has run for a few seconds: targets done of the
 * total, instances read, calls made and throttled attempts retried. On a terminal one line is redrawn
 * in place; otherwise (a CI log) a plain line when a target finishes and at most every `everyMs`.
 */
import { CaptureProgress, type CaptureProgressState } from '../lambdas/adapters/collectors/capture-progress';

export interface ProgressLineOptions {
  stderr(text: string): void;
  /** Standard error is a terminal: redraw in place. */
  tty: boolean;
  /** Nothing is shown before the capture has run this long (default 3 s). */
  afterMs?: number;
  /** Plain lines: at most one per this, besides one per finished target (default 10 s). */
  everyMs?: number;
  now?: () => number;
}

export function progressText(state: Readonly<CaptureProgressState>): string {
  return `capture: ${state.targetsDone}/${state.targetsTotal} targets, ${state.instances} instances, ${state.calls} calls, ${state.throttled} throttled (retried)`;
}

/** Starts reporting `progress`; call the returned function when the capture has ended. */
export function reportCaptureProgress(progress: CaptureProgress, options: ProgressLineOptions): () => void {
  const now = options.now ?? Date.now;
  const start = now();
  const afterMs = options.afterMs ?? 3_000;
  const everyMs = options.everyMs ?? 10_000;
  let shown = false;
  let lastLine = 0;
  let lastTargets = 0;
  const draw = (force: boolean) => {
    const state = progress.snapshot();
    const t = now();
    if (t - start < afterMs) return;
    if (options.tty) {
      options.stderr(`\r\u001b[K${progressText(state)}`);
      shown = true;
      return;
    }
    const targetFinished = state.targetsDone !== lastTargets;
    if (force || targetFinished || t - lastLine >= everyMs) {
      options.stderr(`${progressText(state)}\n`);
      lastLine = t;
      lastTargets = state.targetsDone;
      shown = true;
    }
  };
  progress.onChange((state) => {
    if (state.targetsDone !== lastTargets || options.tty) draw(false);
  });
  const timer = setInterval(() => draw(false), options.tty ? 1_000 : everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown && options.tty) options.stderr(`\r\u001b[K${progressText(progress.snapshot())}\n`);
    else if (shown) draw(true);
  };
}
