// datadeck itself depends on puppeteer-core, which downloads nothing. DeckTape (a dev dependency)
// brings the full Puppeteer, whose install script downloads its own Chrome: skip that whenever a
// system browser is already present (Debian's chromium, installed by scripts/setup.sh), so installs
// work on machines that reach only the npm registry.
const { existsSync } = require('node:fs');

const systemBrowsers = [
  process.env.PUPPETEER_EXECUTABLE_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter(Boolean);

module.exports = {
  skipDownload: process.env.PUPPETEER_SKIP_DOWNLOAD === '1' || systemBrowsers.some((path) => existsSync(path)),
};
