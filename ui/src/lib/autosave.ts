// Saves a document shortly after the last edit, one save at a time, and never
// drops an edit made while a save is under way. The engine stores every valid part
// of an edit at once and keeps the rest as typed ("invalid" here means: saved as a
// draft, with the fields still to fix).
import { asFerryError, type FerryError } from './api';
import type { FieldProblem } from './bindings';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'invalid' | 'failed';

export interface SaveState {
  status: SaveStatus;
  error: FerryError | null;
  /** The fields still to fix, when the status is "invalid". */
  problems?: FieldProblem[];
}

/** What one save kept: the document as stored, and what is not valid in it yet. */
export interface Saved<T> {
  plan: T;
  problems: FieldProblem[];
}

interface Revisioned {
  revision: number;
}

/** How long after the last keystroke a save starts (the brief asks for at most 1 s). */
export const AUTOSAVE_DELAY_MS = 600;

export class Autosaver<T extends Revisioned> {
  private draft: T | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private revision: number | null = null;

  constructor(
    private readonly save: (doc: T) => Promise<Saved<T>>,
    private readonly onState: (state: SaveState) => void,
    private readonly onSaved: (saved: T) => void,
    private readonly delay = AUTOSAVE_DELAY_MS,
  ) {}

  /** Record the document as it is now; it is saved `delay` ms after the last call. */
  edit(doc: T): void {
    this.draft = structuredClone(doc);
    this.onState({ status: 'pending', error: null });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delay);
  }

  /** Save now if anything is unsaved; resolves when everything is saved or has failed. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inFlight) await this.inFlight;
    if (!this.draft) return;
    const doc = this.draft;
    this.draft = null;
    // An edit made during the previous save still carries that save's old revision.
    if (this.revision !== null && doc.revision < this.revision) doc.revision = this.revision;
    this.onState({ status: 'saving', error: null });
    this.inFlight = this.save(doc).then(
      ({ plan: saved, problems }) => {
        this.revision = saved.revision;
        this.onSaved(saved);
        if (this.draft || this.timer) return;
        this.onState(problems.length ? { status: 'invalid', error: null, problems } : { status: 'saved', error: null });
      },
      (e: unknown) => {
        const error = asFerryError(e);
        // Keep the unsaved document so that "try again" or the next edit saves it.
        this.draft ??= doc;
        this.onState({ status: error.payload.code === 'plan.invalid' ? 'invalid' : 'failed', error });
      },
    );
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  /** Whether there is anything not yet saved. */
  get unsaved(): boolean {
    return this.draft !== null || this.inFlight !== null;
  }
}
