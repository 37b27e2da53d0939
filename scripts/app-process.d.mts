/** The environment the app's server process starts with, beside its own settings (app-process.mjs). */
export declare function appProcessEnv(env?: Readonly<Record<string, string | undefined>>): {
  MALLOC_ARENA_MAX: string;
  NODE_OPTIONS: string;
};
