import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver, type SaveState } from './autosave';
import { FerryError } from './api';

interface Doc {
  revision: number;
  text: string;
}

function harness(save: (d: Doc) => Promise<Doc>) {
  const states: SaveState['status'][] = [];
  const saved: Doc[] = [];
  const a = new Autosaver<Doc>(async (d) => ({ plan: await save(d), problems: [] }), (s) => states.push(s.status), (d) => saved.push(d), 600);
  return { a, states, saved };
}

/** A fake library: refuses stale revisions exactly like the engine does. */
function store() {
  let current: Doc = { revision: 1, text: '' };
  const calls: Doc[] = [];
  const save = vi.fn(async (d: Doc) => {
    calls.push(structuredClone(d));
    await new Promise((r) => setTimeout(r, 100));
    if (d.revision !== current.revision) throw new FerryError({ code: 'plan.conflict', message: 'stale', params: {}, problems: [] });
    current = { ...d, revision: d.revision + 1 };
    return current;
  });
  return { save, calls, get current() { return current; } };
}

describe('Autosaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a pause in typing, then saves once, within a second', async () => {
    const s = store();
    const { a, states } = harness(s.save);
    for (const text of ['K', 'Ka', 'Kar', 'Kari']) {
      a.edit({ revision: 1, text });
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(s.save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400 + 100);
    expect(s.calls).toEqual([{ revision: 1, text: 'Kari' }]);
    expect(states.at(-1)).toBe('saved');
    expect(a.unsaved).toBe(false);
  });

  it('an edit made while saving is saved next, on top of the new revision', async () => {
    const s = store();
    const { a, states } = harness(s.save);
    a.edit({ revision: 1, text: 'first' });
    await vi.advanceTimersByTimeAsync(650); // save of "first" under way
    a.edit({ revision: 1, text: 'second' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(s.calls.map((c) => c.text)).toEqual(['first', 'second']);
    expect(s.current).toEqual({ revision: 3, text: 'second' });
    expect(states.at(-1)).toBe('saved');
  });

  it('flush saves at once and a failure keeps the edit for a retry', async () => {
    let fail = true;
    const save = vi.fn(async (d: Doc) => {
      if (fail) throw { code: 'io.failed', message: 'disk full', params: {}, problems: [] };
      return { ...d, revision: d.revision + 1 };
    });
    const { a, states, saved } = harness(save);
    a.edit({ revision: 1, text: 'keep me' });
    await a.flush();
    expect(states.at(-1)).toBe('failed');
    expect(a.unsaved).toBe(true);
    fail = false;
    await a.flush();
    expect(saved).toEqual([{ revision: 2, text: 'keep me' }]);
    expect(states.at(-1)).toBe('saved');
  });

  it('reports invalid documents separately from failures', async () => {
    const save = vi.fn(async () => {
      throw new FerryError({ code: 'plan.invalid', message: 'bad', params: {}, problems: [{ field: 'name', code: 'required', value: null }] });
    });
    const { a, states } = harness(save);
    a.edit({ revision: 1, text: '' });
    await a.flush();
    expect(states.at(-1)).toBe('invalid');
  });

  it('an edit saved in part reports the fields still to fix, and nothing is left unsaved', async () => {
    const problems = [{ field: 'organisation.contact.email', code: 'email_invalid', value: 'kari@@x' }];
    const states: SaveState[] = [];
    const saved: Doc[] = [];
    const a = new Autosaver<Doc>(
      async (d) => ({ plan: { ...d, revision: d.revision + 1 }, problems }),
      (st) => states.push(st),
      (d) => saved.push(d),
      600,
    );
    a.edit({ revision: 1, text: 'typed' });
    await a.flush();
    expect(states.at(-1)).toEqual({ status: 'invalid', error: null, problems });
    expect(saved).toEqual([{ revision: 2, text: 'typed' }]);
    expect(a.unsaved).toBe(false);
  });
});
