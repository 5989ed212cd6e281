/** Something to dispose; structurally the same as vscode.Disposable, so both mix freely. */
export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

/**
 * A minimal event emitter for modules that must not import `vscode` (so that they run in unit
 * tests). Its `event` has the shape of a vscode.Event.
 */
export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
