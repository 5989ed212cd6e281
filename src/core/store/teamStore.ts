import type { ObjectBackend } from "../objects/objectBackend";
import { MlexpError } from "../util/errors";
import type { RunStore } from "./runStore";
import { redactUrl } from "./storeUrl";

export interface TeamStore {
  runs: RunStore;
  objects: ObjectBackend;
}

/** The team store for a `postgresql://` URL. */
export function openTeamStore(url: string): TeamStore {
  throw new MlexpError(`The PostgreSQL store ${redactUrl(url)} is not available in this build.`, "invalid_argument");
}
