// The system Chromium the browser tests drive through playwright-core, and its launch flags:
// headless-safe (no sandbox, no GPU) and quiet (no background network, updates, sync or QUIC).

/** Path of the Chromium binary; tests skip when it is absent. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launch flags for every browser test. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
