/**
 * The names an mlexp workspace's config file may have, most preferred first. The one list read by
 * the library (which loads the config), the language server (which indexes it) and the extension
 * (which watches for it); package.json's activation events list the same names (a test checks).
 */
export declare const CONFIG_FILE_NAMES: readonly string[];
