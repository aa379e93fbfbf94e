/**
 * The config file's name, alone in its module so the CLI's start (cli.ts, quick.ts) can test
 * for the file without loading the config reader.
 */

/** The project config file, looked up in the working directory. */
export const CONFIG_FILE = 'dbus-codegen.config.json';
