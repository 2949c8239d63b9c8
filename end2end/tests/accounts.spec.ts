import { expect, test } from "@playwright/test";
import { ACCOUNTS, DEMO_PASSWORD, openHydrated, signIn, uniqueName } from "./helpers";

const nav = (page) => page.getByTestId("main-nav");

test.describe("each role sees its own navigation", () => {
  test("bureau staff: overview, dashboard, registry, applications, equity, accreditation, accounts and audit trail", async ({ page }) => {
    await signIn(page, ACCOUNTS.bureau);
    await expect(page.getByRole("heading", { name: "孵化载体概览" })).toBeVisible();
    await expect(nav(page).getByRole("link")).toHaveText(["概览", "数据看板", "载体名录", "入驻申请", "股权投资", "认定评估", "账户", "审计日志"]);
  });

  test("an operator: a to-do list, their own carriers, accreditation and their part of the audit trail", async ({ page }) => {
    await signIn(page, ACCOUNTS.operator);
    await expect(page.getByRole("heading", { name: "今日待办" })).toBeVisible();
    await expect(page.getByTestId("work-card")).toHaveCount(2);
    await expect(nav(page).getByRole("link")).toHaveText(["待办", "我的载体", "入驻申请", "认定评估", "审计日志"]);
    await page.getByRole("link", { name: "我的载体" }).click();
    await expect(page.getByTestId("result-count")).toHaveText("共 2 个载体");
  });

  test("a startup: its own page, and space to find", async ({ page }) => {
    await signIn(page, ACCOUNTS.startup);
    await expect(page).toHaveURL(/\/startups\/\d+$/);
    await expect(page.getByRole("heading", { name: "临沂智云科技有限公司" })).toBeVisible();
    await expect(nav(page).getByRole("link")).toHaveText(["临沂智云科技有限公司", "我的申请", "我的租约", "股权结构", "找空间"]);
  });

  test("the admin: accounts only, no business data", async ({ page }) => {
    await signIn(page, ACCOUNTS.admin);
    await expect(page).toHaveURL(/\/accounts$/);
    await expect(nav(page).getByRole("link")).toHaveText(["账户"]);
    await page.goto("/carriers");
    await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
  });
});

test("a startup that opens another startup's page by URL gets a 403 page", async ({ page }) => {
  // The demo startup's page, as its member sees it.
  await signIn(page, ACCOUNTS.startup);
  const own = page.url();
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // A new startup registers itself...
  const name = uniqueName("临沂新星科技");
  await page.goto("/register");
  await page.getByLabel("企业名称").fill(name);
  await page.getByLabel("姓名").fill("赵磊");
  await page.getByLabel("电子邮箱").fill(`${name.toLowerCase().replace(/[^a-z0-9]/g, "")}@example.cn`);
  await page.getByLabel("新密码", { exact: true }).fill("a river runs through linyi");
  await page.getByLabel("再次输入新密码").fill("a river runs through linyi");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();

  // ...and tries the other's page.
  const response = await page.goto(own);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
  await expect(page.getByText("临沂智云科技有限公司")).toHaveCount(0);
});

test("a wrong password is refused with a message that does not say which part was wrong", async ({ page }) => {
  await page.goto("/login");
  await page.locator("#field-email").fill(ACCOUNTS.bureau);
  await page.locator("#field-password").fill("not the password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("邮箱或密码不正确。");
});

test("the session ends at sign-out, and private pages ask to sign in again", async ({ page }) => {
  await signIn(page, ACCOUNTS.bureau);
  await openHydrated(page, "/carriers");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/carriers");
  await expect(page).toHaveURL(/\/login\?next=%2Fcarriers$/);
});

test("an admin invites an operator with a one-time link that works once", async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.admin);
  await openHydrated(page, "/accounts");
  const email = `${uniqueName("ops").toLowerCase()}@carrier.cn`;
  await page.locator("#invite-email").fill(email);
  await page.locator("#invite-role").selectOption("operator");
  await page.locator("#invite-carrier").selectOption({ label: "罗庄区新材料产业孵化器" });
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  const link = await page.getByTestId("one-time-link").locator("input").inputValue();
  expect(link).toMatch(/\/invite\/[0-9a-f]{64}$/);

  const invited = await (await browser.newContext()).newPage();
  await invited.goto(link);
  await expect(invited.getByText("罗庄区新材料产业孵化器")).toBeVisible();
  await invited.getByLabel("姓名").fill("孙丽");
  await invited.locator("#field-password").fill("sunlight over the yi river");
  await invited.locator("#field-confirm").fill("sunlight over the yi river");
  await invited.getByRole("button", { name: "接受邀请" }).click();
  await expect(invited.getByRole("heading", { name: "今日待办" })).toBeVisible();

  await invited.goto(link);
  await expect(invited.getByText("该链接无效、已使用或已过期")).toBeVisible();
  void DEMO_PASSWORD;
});

test.describe("a session that has been idle too long", () => {
  // A second server whose sessions end after three idle seconds (see playwright.config.ts).
  test.use({ baseURL: `http://127.0.0.1:${Number(process.env.FUHUA_E2E_PORT ?? 3100) + 1}` });

  test("ends, and the next page asks to sign in again", async ({ page }) => {
    await signIn(page, ACCOUNTS.bureau);
    await page.goto("/carriers");
    await expect(page.getByRole("heading", { name: "载体名录" })).toBeVisible();
    await page.waitForTimeout(4_000);
    await page.goto("/carriers");
    await expect(page).toHaveURL(/\/login\?next=%2Fcarriers$/);
  });
});

test("an admin's invitation of their own address waits until a second admin approves it", async ({ page, browser }) => {
  // The demo admin brings in a second admin.
  await signIn(page, ACCOUNTS.admin);
  await openHydrated(page, "/accounts");
  const second = `${uniqueName("admin").toLowerCase()}@ly.gov.cn`;
  await page.locator("#invite-email").fill(second);
  await page.locator("#invite-role").selectOption("admin");
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  const secondLink = await page.getByTestId("one-time-link").locator("input").inputValue();
  await expect(page.getByTestId("needs-approval")).toHaveCount(0);
  const other = await (await browser.newContext()).newPage();
  await other.goto(secondLink);
  await other.getByLabel("姓名").fill("钱敏");
  await other.locator("#field-password").fill("a second key for the bureau");
  await other.locator("#field-confirm").fill("a second key for the bureau");
  await other.getByRole("button", { name: "接受邀请" }).click();
  await expect(other).toHaveURL(/\/accounts$/);

  // The second admin invites their own address as bureau staff: the link says it must wait.
  await openHydrated(other, "/accounts");
  await other.locator("#invite-email").fill(second);
  await other.locator("#invite-role").selectOption("bureau");
  await other.getByRole("button", { name: "生成邀请链接" }).click();
  await expect(other.getByTestId("needs-approval")).toBeVisible();
  const ownLink = await other.getByTestId("one-time-link").locator("input").inputValue();
  const early = await (await browser.newContext()).newPage();
  await early.goto(ownLink);
  await expect(early.getByText("该链接须经另一位管理员批准后才能使用。")).toBeVisible();
  // The issuer sees it waiting, and cannot approve it.
  await openHydrated(other, "/accounts");
  const waiting = other.getByTestId("pending-approvals").getByRole("row", { name: new RegExp(second) });
  await expect(waiting.getByText("须由另一位管理员批准")).toBeVisible();

  // The demo admin approves it, and then the link works.
  await openHydrated(page, "/accounts");
  const row = page.getByTestId("pending-approvals").getByRole("row", { name: new RegExp(second) });
  await row.getByRole("button", { name: "批准" }).click();
  await expect(page.getByTestId("pending-approvals").getByRole("row", { name: new RegExp(second) })).toHaveCount(0);
  await early.goto(ownLink);
  await early.locator("#field-password").fill("a second key for the bureau");
  await early.getByRole("button", { name: "接受邀请" }).click();
  await expect(early).not.toHaveURL(/\/invite\//);
  await expect(nav(early).getByRole("link", { name: "审计日志" })).toBeVisible();
});
