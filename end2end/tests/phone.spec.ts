import { expect, Locator, Page, test } from "@playwright/test";
import { ACCOUNTS, signIn } from "./helpers";

// Runs in the "phone" project only (390 × 844, see playwright.config.ts).

/** Opens `path`, waits for hydration, and fails if the page is wider than the screen. */
async function fits(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  // Against the screen's width, not the window's: a phone browser widens the window to fit a
  // page that overflows, and zooms out.
  const screen = page.viewportSize()!.width;
  const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - screen;
  expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** Whether every element of `locator` keeps its text on one line (a figure and its unit). */
async function onOneLine(locator: Locator) {
  const lines = await locator.evaluateAll((elements) =>
    elements.map((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
      return `${element.textContent?.trim()}: ${tops.size}`;
    }),
  );
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(/: 1$/);
}

/** The carrier pages an operator or the bureau reaches from a carrier's page. */
async function carrierPages(page: Page, carrierHref: string) {
  for (const suffix of ["", "/spaces", "/tenants", "/rent-roll", "/portfolio", "/readiness", "/annual"]) {
    await fits(page, `${carrierHref}${suffix}`);
  }
}

test("a visitor's pages fit a phone, and the menu opens and closes", async ({ page }) => {
  for (const path of ["/login", "/register", "/space"]) await fits(page, path);
  const nav = page.getByRole("navigation", { name: "主导航" });
  await expect(nav).toBeHidden();
  await page.getByTestId("menu-button").click();
  await expect(nav.getByRole("link", { name: "登录" })).toBeVisible();
  await nav.getByRole("link", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(nav).toBeHidden();
  // The catalogue's filters fold behind a button.
  await page.goto("/space");
  await expect(page.getByLabel("空置面积不少于（m²）")).toBeHidden();
  await page.getByTestId("filters-button").click();
  await expect(page.getByLabel("空置面积不少于（m²）")).toBeVisible();
});

test("the bureau's pages fit a phone, and its figures keep their units on one line", async ({ page }) => {
  await signIn(page, ACCOUNTS.bureau);
  for (const path of ["/", "/dashboard", "/dashboard/targets", "/carriers", "/applications", "/portfolio", "/readiness", "/audit", "/accounts", "/space"]) {
    await fits(page, path);
  }
  await fits(page, "/dashboard");
  await onOneLine(page.locator(".stat-value"));
  await fits(page, "/carriers");
  const carrier = await page.locator("tbody tr a").first().getAttribute("href");
  await carrierPages(page, carrier!);
});

test("an operator's pages fit a phone", async ({ page }) => {
  await signIn(page, ACCOUNTS.operator);
  for (const path of ["/", "/carriers", "/applications", "/readiness", "/audit"]) await fits(page, path);
  await fits(page, "/");
  const carrier = await page.getByTestId("work-card").first().locator("h2 a").getAttribute("href");
  await carrierPages(page, carrier!);
});

test("a startup's pages fit a phone, in both languages", async ({ page }) => {
  await signIn(page, ACCOUNTS.startup);
  const home = new URL(page.url()).pathname;
  for (const path of [home, `${home}/equity`, `${home}/apply`, "/space", "/account"]) await fits(page, path);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  for (const path of [home, "/space"]) await fits(page, path);
  await expect(page.getByRole("heading", { name: "Find space", level: 1 })).toBeVisible();
});
