// In unit tests there is no React server graph; `server-only` is a no-op there.
export {};
