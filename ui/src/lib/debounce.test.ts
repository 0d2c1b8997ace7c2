import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounced } from './debounce';

describe('debounced', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first call at once, then once per pause with the last arguments', () => {
    const fn = vi.fn();
    const send = debounced(fn, 300);
    send('open');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenLastCalledWith('open');
    send('a');
    send('ab');
    vi.advanceTimersByTime(299);
    send('abc');
    vi.advanceTimersByTime(299);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(fn).toHaveBeenLastCalledWith('abc');
    send('abcd');
    vi.advanceTimersByTime(300);
    expect(fn).toHaveBeenCalledTimes(3);
    expect(fn).toHaveBeenLastCalledWith('abcd');
  });

  it('waits 300 ms unless told otherwise, and cancel drops a waiting call', () => {
    const fn = vi.fn();
    const send = debounced(fn);
    send(1);
    send(2);
    vi.advanceTimersByTime(300);
    expect(fn.mock.calls).toEqual([[1], [2]]);
    send(3);
    send.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
