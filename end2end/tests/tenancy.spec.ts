import { expect, Page, test } from "@playwright/test";
import { ACCOUNTS, signIn, uniqueName } from "./helpers";

// The demo operator runs this carrier, which the demo city fills with units.
const CARRIER = "临沂高新区科技创业园";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** Chooses the demo operator's carrier (its option reads "name · district"). */
async function chooseCarrier(page: Page) {
  const value = await page.locator("#field-carrier_id option", { hasText: CARRIER }).first().getAttribute("value");
  await page.getByLabel("申请入驻的载体").selectOption(value!);
}

/** The application form's default start: two weeks from today in China. */
function startDate(): string {
  const chinaToday = new Date(Date.now() + 8 * 3600 * 1000);
  chinaToday.setUTCDate(chinaToday.getUTCDate() + 14);
  return chinaToday.toISOString().slice(0, 10);
}

async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
}

test("a startup registers and applies with a business plan; the operator admits it onto a unit and signs the lease", async ({
  page,
}) => {
  // A new startup registers...
  const name = uniqueName("临沂星河智能");
  const email = `${name.toLowerCase().replace(/[^a-z0-9]/g, "")}@example.cn`;
  const password = "a river runs through linyi";
  await page.goto("/register");
  await page.getByLabel("企业名称").fill(name);
  await page.getByLabel("姓名").fill("钱进");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("新密码", { exact: true }).fill(password);
  await page.getByLabel("再次输入新密码").fill(password);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await hydrated(page);

  // ...and applies for workstations, keeping a draft first.
  await page.getByRole("link", { name: "申请入驻" }).click();
  await expect(page.getByRole("heading", { name: "申请入驻" })).toBeVisible();
  await hydrated(page);
  await chooseCarrier(page);
  await page.getByLabel("申请类型").selectOption({ label: "工位" });
  await page.getByLabel("工位数").fill("6");
  await page.getByLabel("项目简介").fill("短"); // too short: refused next to the field
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.locator("#summary-problems")).toContainText("至少需要");
  await page.getByLabel("项目简介").fill("工业机器人视觉定位团队，已有样机和两家试用客户，申请工位用于研发与演示。");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByTestId("application-state")).toHaveText("草稿");
  // The page says what is missing and whom it waits for.
  await expect(page.getByTestId("next-step")).toContainText("还缺：商业计划书");

  // The business plan: a wrong file is refused, a PDF is kept.
  await page.locator("#document").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page.getByRole("alert")).toHaveText("上传失败：只接受 PDF 文件。");
  await page.locator("#document").setInputFiles({ name: "商业计划书.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page.getByTestId("document-link")).toHaveText("商业计划书.pdf");
  await hydrated(page);
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByTestId("application-state")).toHaveText("已提交");
  const applicationUrl = page.url();
  await signOut(page);

  // The operator notes the carrier's occupancy on the day the startup wants to move in...
  await signIn(page, ACCOUNTS.operator);
  await page.getByRole("link", { name: "我的载体" }).click();
  await page.getByRole("link", { name: CARRIER }).click();
  const rentRoll = `${new URL(page.url()).pathname}/rent-roll?on=${startDate()}`;
  await page.goto(rentRoll);
  const occupancyBefore = await page.getByTestId("occupancy-units").textContent();

  // ...finds the application in the queue, reviews it and admits it.
  await page.getByRole("link", { name: "入驻申请" }).click();
  await page.getByLabel("状态").selectOption({ label: "已提交" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/state=submitted/);
  await page.getByRole("link", { name }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "开始审核" }).click();
  await expect(page.getByTestId("application-state")).toHaveText("审核中");
  // The national tenant conditions, each with its evidence from the profile.
  await expect(page.getByTestId("eligibility")).toContainText("在孵企业条件");
  await expect(page.getByTestId("eligibility-founded")).toContainText("成立时间不超过 24 个月");
  // The new startup's profile says nothing yet: unknown, and said so.
  await expect(page.getByTestId("eligibility-district")).toContainText("企业档案未填写");
  await expect(page.getByTestId("eligibility-district")).toHaveClass(/hint-unknown/);
  await expect(page.getByTestId("eligibility-sme")).toContainText("科技型中小企业");
  const download = page.waitForEvent("download");
  await page.getByTestId("document-link").click();
  expect((await download).suggestedFilename()).toBe("商业计划书.pdf");

  await page.getByRole("link", { name: "准予入驻并签订租约" }).click();
  await expect(page.getByRole("heading", { name: `为 ${name} 签订租约` })).toBeVisible();
  await hydrated(page);
  const vacant = page.locator(".unit-tile.status-vacant input[type=checkbox]:not([disabled])").first();
  const unitCode = await vacant.getAttribute("data-unit");
  await vacant.check();
  await expect(page.getByTestId("list-rent-total")).not.toHaveText(/¥0\.00/);
  await page.getByLabel("押金（元）").fill("3000");
  await page.getByRole("button", { name: "签订租约" }).click();
  await expect(page).toHaveURL(/\/leases\/\d+$/);
  // It starts in 14 days: signed and starting soon, not yet in force.
  await expect(page.getByTestId("lease-state")).toHaveText("即将起租");
  await expect(page.getByTestId("lease-units")).toContainText(unitCode!);

  // On the first day of the lease the rent roll lists the new tenant and occupancy has risen;
  // the tenants page shows it incubating.
  await page.goto(rentRoll);
  await expect(page.getByTestId("rent-roll")).toContainText(name);
  await expect(page.getByTestId("rent-roll")).toContainText(unitCode!);
  await expect(page.getByTestId("occupancy-units")).not.toHaveText(occupancyBefore!);
  await page.goto(rentRoll.replace(/\/rent-roll.*/, "/tenants"));
  await expect(page.getByTestId("tenants")).toContainText(name);
  await signOut(page);

  // The startup sees its application admitted and its lease.
  await signIn(page, email, password);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("application-table")).toContainText("已入驻");
  await expect(page.getByTestId("lease-table")).toContainText(CARRIER);
  await page.goto(applicationUrl);
  await expect(page.getByRole("link", { name: "查看租约" })).toBeVisible();
});

test("a rejected application shows the startup the operator's reason", async ({ page }) => {
  await signIn(page, ACCOUNTS.startup);
  await page.getByRole("link", { name: "申请入驻" }).click();
  await hydrated(page);
  await chooseCarrier(page);
  await page.getByLabel("申请类型").selectOption({ label: "办公面积" });
  await page.getByLabel("面积（m²）").fill("80");
  await page.getByLabel("项目简介").fill("智慧物流调度软件，已服务三家本地物流园区，申请办公面积扩充团队。");
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByTestId("application-state")).toHaveText("已提交");
  const url = page.url();
  await signOut(page);

  await signIn(page, ACCOUNTS.operator);
  await page.goto(url);
  await hydrated(page);
  await page.getByRole("button", { name: "开始审核" }).click();
  await expect(page.getByTestId("application-state")).toHaveText("审核中");
  const reason = "本期办公面积已满，建议改为申请开放工位。";
  await page.getByLabel("不予入驻的原因（企业可见）").fill(reason);
  await page.getByRole("button", { name: "不予入驻" }).click();
  await expect(page.getByTestId("application-state")).toHaveText("未通过");
  await signOut(page);

  await signIn(page, ACCOUNTS.startup);
  await page.goto(url);
  await expect(page.getByTestId("decision-reason")).toContainText(reason);
});
