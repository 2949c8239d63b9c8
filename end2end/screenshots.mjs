// Screenshots of each role's home at desktop and phone width, for docs/screenshots/.
// Run against a demo server: `target/debug/fuhua serve --demo` (see README, "Screenshots"), then
//   cd end2end && node screenshots.mjs http://127.0.0.1:3000
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const password = "fuhua-demo-2026";
const shots = [
  { name: "visitor-catalogue", email: null, path: "/space" },
  { name: "bureau-dashboard", email: "bureau@demo.fuhua.cn", path: "/dashboard" },
  { name: "bureau-home", email: "bureau@demo.fuhua.cn", path: "/" },
  { name: "operator-home", email: "operator@demo.fuhua.cn", path: "/" },
  { name: "startup-home", email: "startup@demo.fuhua.cn", path: null },
  { name: "startup-catalogue", email: "startup@demo.fuhua.cn", path: "/space" },
];
const sizes = [
  { suffix: "desktop", viewport: { width: 1280, height: 1000 }, isMobile: false },
  { suffix: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
];

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless"] });
for (const size of sizes) {
  for (const shot of shots) {
    const context = await browser.newContext({ viewport: size.viewport, isMobile: size.isMobile, deviceScaleFactor: 1, locale: "zh-CN" });
    const page = await context.newPage();
    if (shot.email) {
      await page.goto(`${base}/login`);
      await page.locator("#field-email").fill(shot.email);
      await page.locator("#field-password").fill(password);
      await page.locator("form[action='/api/login'] button[type=submit]").click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    }
    if (shot.path) await page.goto(`${base}${shot.path}`);
    await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
    await page.waitForLoadState("networkidle");
    const file = `../docs/screenshots/${shot.name}-${size.suffix}.png`;
    await page.screenshot({ path: file });
    console.log(file);
    await context.close();
  }
}
await browser.close();
