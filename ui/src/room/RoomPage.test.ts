// The phone's page when the room does not answer at all (Wi-Fi gone for a moment):
// it says so, keeps what the person chose, asks again by itself, and never claims
// the room is gone. (The room's real answers are tested end to end in tests/e2e/room.rs.)
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { RoomJoined, RoomPage as Page } from '../lib/bindings';
import { setLocale } from '../lib/i18n/index.svelte';
import RoomPage from './RoomPage.svelte';

const PLAN = '00000000-0000-4000-8000-000000000001';
const PAGE: Page = {
  code: 'ABC',
  phase: 'open',
  tallies_hidden: false,
  joining_locked: false,
  dots_each: 3,
  organisations: [{ plan: PLAN, name: 'Fagforbundet Bergen' }],
  me: null,
  version: 1,
};
const JOINED: RoomJoined = {
  participant: 'p'.repeat(64),
  page: { ...PAGE, me: { plan: PLAN, name: null, dots_left: 3, cards: [{ need: 'email', mine: 0, total: 0 }], proposals: [] } },
};

// jsdom has no EventSource; the page's pulses are not what this test is about.
class QuietEvents {
  readyState = 0;
  onerror: (() => void) | null = null;
  addEventListener() {}
  close() {}
}

/** fetch that answers with each of `answers` in turn: a value, or no answer at all. */
function network(answers: Array<unknown | 'down'>) {
  const calls: Array<{ url: string; body: Record<string, unknown> }> = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    const next = answers.shift();
    if (next === undefined || next === 'down') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(next), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

beforeAll(async () => {
  await setLocale('en');
  vi.stubGlobal('EventSource', QuietEvents);
  window.history.replaceState({}, '', `/r/${'a'.repeat(64)}/`);
});

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

describe('a phone without an answer from the room', () => {
  it('says so, asks again by itself, and shows the room when it answers', async () => {
    const calls = network(['down', PAGE]);
    render(RoomPage);
    await screen.findByTestId('room-no-answer');
    expect(screen.queryByTestId('room-gone')).toBeNull();
    await screen.findByTestId('room-join', {}, { timeout: 6000 });
    expect(screen.queryByTestId('room-no-answer')).toBeNull();
    expect(calls.filter((c) => c.url.endsWith('api/room_page'))).toHaveLength(2);
  });

  it('keeps the chosen organisation when a join gets no answer, and joins once on the next try', async () => {
    const calls = network([PAGE, 'down', JOINED]);
    render(RoomPage);
    const org = await screen.findByRole('radio', { name: 'Fagforbundet Bergen' });
    await fireEvent.click(org);
    const join = screen.getByTestId('room-join-button');
    await fireEvent.click(join);
    await screen.findByTestId('room-no-answer');
    expect(screen.queryByTestId('room-gone')).toBeNull();
    expect((screen.getByRole('radio', { name: 'Fagforbundet Bergen' }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect((screen.getByTestId('room-join-button') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByTestId('room-join-button'));
    await screen.findByTestId('room-dots-left');
    expect(screen.queryByTestId('room-no-answer')).toBeNull();
    // Both tries carry the phone's same new secret: the room makes one person of them.
    const joins = calls.filter((c) => c.url.endsWith('api/room_join')).map((c) => c.body.participant);
    expect(joins).toHaveLength(2);
    expect(joins[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(joins[1]).toBe(joins[0]);
  });

  it('still says the room is gone when the room itself says so', async () => {
    vi.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ code: 'room.no_room', message: 'no such room', params: {}, problems: [] }), { status: 404 }),
    );
    render(RoomPage);
    await screen.findByTestId('room-gone');
    expect(screen.queryByTestId('room-no-answer')).toBeNull();
  });
});
