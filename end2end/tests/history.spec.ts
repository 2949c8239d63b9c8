import { expect, Page, test } from "@playwright/test";
import { execFileSync } from "child_process";
import { ACCOUNTS, DEMO_PASSWORD, openHydrated, signIn } from "./helpers";

/** The real install of playwright.config.ts: no --demo. */
const FRESH = `http://127.0.0.1:${Number(process.env.FUHUA_E2E_PORT ?? 3100) + 2}`;
const FRESH_DATABASE = "sqlite://target/e2e/fuhua-e2e-fresh.db?mode=rwc";

/** `12,345.67` as hundredths, exactly. */
function hundredths(text: string): number {
  const [whole, fraction = "0"] = text.replace(/,/g, "").trim().split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** A day as YYYY-MM-DD, in China. */
function chinaDay(offsetDays = 0): string {
  const now = new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000);
  return now.toISOString().slice(0, 10);
}

/** The gross area of a district on the dashboard of `on` (today if none). */
async function districtArea(page: Page, district: string, on?: string): Promise<number> {
  await openHydrated(page, on ? `/dashboard?on=${on}` : "/dashboard");
  const row = page
    .getByTestId("table-districts")
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: district, exact: true }) });
  return hundredths(await row.getByRole("cell").nth(2).innerText());
}

test("a real install: the city is there, no demo account is, and the first bureau account registers a carrier", async ({
  page,
}) => {
  // No demonstration account exists without --demo.
  await page.goto(`${FRESH}/login`);
  await page.locator("#field-email").fill(ACCOUNTS.bureau);
  await page.locator("#field-password").fill(DEMO_PASSWORD);
  await page.locator("form[action='/api/login'] button[type=submit]").click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("alert")).toBeVisible();

  // The first bureau account, as the README says: `fuhua create-user`.
  const email = "chief@kjj.linyi.gov.cn";
  const password = "Yimeng-Incubation-2026";
  execFileSync(
    "target/debug/fuhua",
    ["create-user", "--email", email, "--name", "王主任", "--role", "bureau", "--password-stdin"],
    { cwd: "..", input: `${password}\n`, env: { ...process.env, DATABASE_URL: FRESH_DATABASE, FUHUA_LOG: "warn" } },
  );
  await page.goto(`${FRESH}/login`);
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await page.locator("form[action='/api/login'] button[type=submit]").click();
  await expect(page).not.toHaveURL(/\/login/);

  // The registry is empty, and the city's fifteen districts, counties and zones are offered.
  await page.goto(`${FRESH}/carriers`);
  await expect(page.getByTestId("result-count")).toHaveText("共 0 个载体");
  await page.goto(`${FRESH}/carriers/new`);
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  const options = await page.getByLabel("所在区县").locator("option").allTextContents();
  expect(options.filter((o) => o.trim() !== "" && !o.includes("请选择"))).toHaveLength(15);
  await page.getByLabel("载体名称").fill("沂水县智慧农业孵化器");
  await page.getByLabel("载体类型").selectOption({ label: "科技企业孵化器" });
  await page.getByLabel("所在区县").selectOption({ label: "沂水县" });
  await page.getByLabel("地址").fill("沂水县长安路1号");
  await page.getByLabel("启用日期").fill("2021-03-01");
  await page.getByLabel("认定级别").selectOption({ label: "未认定" });
  await page.getByLabel("运营单位").fill("沂水县科创发展有限公司");
  await page.getByLabel("运营模式").selectOption({ label: "房东+股东" });
  await page.getByLabel("现代农业").check();
  await page.getByLabel("联系人").fill("赵敏");
  await page.getByLabel("联系电话").fill("13805390001");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/carriers\/\d+$/);
  await expect(page.getByRole("heading", { name: "沂水县智慧农业孵化器" })).toBeVisible();
  // Its registry history starts on its opening day.
  await expect(page.getByTestId("carrier-history").getByRole("row")).toHaveCount(2);
  await expect(page.getByTestId("carrier-history")).toContainText("2021");

  // The dashboard measures the city's founding plan.
  await page.goto(`${FRESH}/dashboard`);
  await expect(page.getByTestId("target-card").filter({ hasText: "孵化载体面积倍增计划" })).toBeVisible();
});

test("archiving a carrier today leaves yesterday's totals as they were", async ({ page }) => {
  await signIn(page, ACCOUNTS.bureau);
  const district = "蒙阴县";
  const carrier = "蒙阴县科技企业孵化器";
  const yesterday = chinaDay(-1);
  const before = await districtArea(page, district, yesterday);
  const todayBefore = await districtArea(page, district);
  expect(todayBefore).toBeGreaterThan(0);

  await openHydrated(page, `/carriers?q=${encodeURIComponent(carrier)}`);
  await page.getByRole("link", { name: carrier }).click();
  await expect(page.getByRole("heading", { name: carrier })).toBeVisible();
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  await page.getByRole("button", { name: "归档" }).click();
  await expect(page.getByRole("heading", { name: carrier })).toContainText("已归档");
  await expect(page.getByTestId("carrier-history")).toContainText("已归档");

  // Yesterday's figure did not move; today's no longer counts the carrier.
  expect(await districtArea(page, district, yesterday)).toBe(before);
  expect(await districtArea(page, district)).toBeLessThan(todayBefore);

  // Restored from today: today's total is whole again (and the demo city as the other tests
  // expect it).
  await openHydrated(page, `/carriers?q=${encodeURIComponent(carrier)}&archived=1`);
  await page.getByRole("link", { name: carrier }).click();
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  await page.getByRole("button", { name: "恢复" }).click();
  await expect(page.getByRole("heading", { name: carrier })).not.toContainText("已归档");
  expect(await districtArea(page, district)).toBe(todayBefore);
});
