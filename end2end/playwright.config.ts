import { defineConfig, devices } from "@playwright/test";

// The servers under test: the binary `cargo test` built (make test-e2e), each on its own port with a fresh SQLite
// file. Playwright starts them and waits for /healthz. The first two are loaded with the
// demonstration city; the second ends sessions after three idle seconds, for the expiry test.
// The third is a real install: no --demo, so the city's reference data and no account at all.
const port = Number(process.env.FUHUA_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

function server(port: number, name: string, env: Record<string, string>, demo = true) {
  const database = `target/e2e/${name}.db`;
  return {
    cwd: "..",
    command:
      `mkdir -p target/e2e && rm -f ${database} ${database}-wal ${database}-shm && ` +
      `target/debug/fuhua serve${demo ? " --demo" : ""}`,
    env: {
      DATABASE_URL: `sqlite://${database}?mode=rwc`,
      FUHUA_BIND: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      FUHUA_LOG: "warn",
      ...env,
    },
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  };
}

const launchOptions = {
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
};

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
      testIgnore: /phone\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
    {
      // A phone: every role's main pages must fit 390 px without scrolling sideways.
      name: "phone",
      testMatch: /phone\.spec\.ts/,
      use: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, launchOptions },
    },
  ],
  webServer: [
    server(port, "fuhua-e2e", {}),
    server(port + 1, "fuhua-e2e-idle", { FUHUA_SESSION_IDLE_SECONDS: "3" }),
    server(port + 2, "fuhua-e2e-fresh", {}, false),
  ],
});
