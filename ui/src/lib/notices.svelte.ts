// Short messages at the bottom of the window, optionally with one action (Undo).
export interface Notice {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void | Promise<void> };
}

let nextId = 1;
export const notices = $state<Notice[]>([]);

export function notify(text: string, kind: Notice['kind'] = 'info', action?: Notice['action'], ms = 8000): void {
  const id = nextId++;
  notices.push({ id, text, kind, action });
  // Errors stay until dismissed: a tired volunteer may look away.
  if (kind === 'info') setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number): void {
  const i = notices.findIndex((n) => n.id === id);
  if (i >= 0) notices.splice(i, 1);
}
