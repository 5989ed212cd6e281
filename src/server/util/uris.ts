import { fileURLToPath, pathToFileURL } from "node:url";

/** The file path of a `file:` URI; undefined for other schemes (untitled documents, git views). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}
