import { useEffect, useState } from 'react';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { type AlertTargetBody, alertsApi, type PreviewView } from './alerts-api.ts';

export type RecipientCount =
  | { status: 'empty' }
  | { status: 'counting'; previous: PreviewView | null }
  | { status: 'ready'; preview: PreviewView }
  | { status: 'failed'; problem: ApiProblem };

const DEBOUNCE_MS = 300;

/**
 * The live count of who a target reaches, asked again ~300 ms after the target stops changing. A newer
 * target aborts the request for an older one, so the count shown is always the current target's.
 */
export function useRecipientCount(target: AlertTargetBody, empty: boolean): RecipientCount {
  const key = JSON.stringify(target);
  const [count, setCount] = useState<RecipientCount>({ status: 'empty' });

  useEffect(() => {
    if (empty) {
      setCount({ status: 'empty' });
      return;
    }
    setCount((before) => ({
      status: 'counting',
      previous:
        before.status === 'ready' ? before.preview : before.status === 'counting' ? before.previous : null,
    }));
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      alertsApi.previewCount(JSON.parse(key) as AlertTargetBody, controller.signal).then(
        (preview) => {
          if (!controller.signal.aborted) setCount({ status: 'ready', preview });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setCount({ status: 'failed', problem: toProblem(error) });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key, empty]);

  return count;
}
