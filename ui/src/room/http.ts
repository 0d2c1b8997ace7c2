// The participant page's transport: the same generated commands as the app, sent to
// the room's own server over HTTP. The room's address is the secret that lets in.
import type { ErrorPayload } from '../lib/bindings';
import { commands } from '../lib/commands';

/** The room token: the last part of the page's address (`/r/<token>/`). */
export function roomToken(path = location.pathname): string {
  const m = path.match(/\/r\/([0-9a-f]{64})\/?$/);
  return m ? m[1] : '';
}

/**
 * No answer at all (the Wi-Fi dropped, the facilitator's computer asleep): not the
 * room's word, so never taken to mean the room is gone. The phone may ask again.
 */
export class NoAnswer extends Error {}

/** A refused request: the engine's error, translated by its code. */
export class RoomRequestError extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
  }
}

async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`api/${command}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
  } catch (e) {
    throw new NoAnswer(String(e));
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const p = body as Partial<ErrorPayload> | null;
    throw new RoomRequestError({ code: p?.code ?? 'unknown', message: p?.message ?? '', params: p?.params ?? {}, problems: p?.problems ?? [] });
  }
  return body as T;
}

export const room = commands({ call });
