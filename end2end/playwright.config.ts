import { defineConfig, devices } from "@playwright/test";

// The server under test: the binary cargo-leptos built, on its own port and a fresh SQLite file,
// loaded with the demonstration city. Playwright starts it and waits for /healthz.
const port = Number(process.env.FUHUA_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const database = "target/e2e/fuhua-e2e.db";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    cwd: "..",
    command:
      `rm -f ${database} ${database}-wal ${database}-shm && mkdir -p target/e2e && ` +
      `target/debug/fuhua serve --demo`,
    env: {
      DATABASE_URL: `sqlite://${database}?mode=rwc`,
      FUHUA_BIND: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      FUHUA_LOG: "warn",
    },
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
