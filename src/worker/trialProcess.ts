/** dist/trial.js: the trial process `mlexp worker` forks, one per slot (see trialServer.ts). */
import { serveTrials } from "./trialServer";

serveTrials();
