// Steps that send the whole plan to the engine as it is edited (SSO overview, deploy
// preview, exit-plan gaps, proposed needs) would otherwise send it on every keystroke.

/** A function that runs `fn` at once on its first call, so a step's first answer is not
 * delayed, and afterwards once `ms` after the last of a burst of calls, with that call's
 * arguments. `cancel()` drops a call still waiting (for when the step closes). */
export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
}

export function debounced<A extends unknown[]>(fn: (...args: A) => void, ms = 300): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = true;
  const call = (...args: A) => {
    clearTimeout(timer);
    if (first) {
      first = false;
      fn(...args);
      return;
    }
    timer = setTimeout(() => fn(...args), ms);
  };
  return Object.assign(call, { cancel: () => clearTimeout(timer) });
}
