// Puppeteer's install script downloads its own Chrome. Skip that whenever a system browser is
// already present (Debian's chromium, installed by scripts/setup.sh), so installs work on
// machines that reach only the npm registry; a laptop with no browser still gets Puppeteer's own.
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
