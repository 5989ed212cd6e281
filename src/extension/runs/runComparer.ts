/** What the run commands open runs side by side with: the comparison panel (src/extension/compare). */
export interface RunComparer {
  /** Exactly these runs. */
  compare(runIds: readonly string[]): Promise<void>;
  /** Every run of a model, including the ones it trains later (the lens "N runs · best …"). */
  showModel(model: string): Promise<void>;
  /** "Compare With…": asks which runs to compare `runId` with. */
  compareWith(runId: string): Promise<void>;
}
