import { expect, test } from "@playwright/test";
import { ACCOUNTS, openHydrated, signIn, uniqueName } from "./helpers";

test.describe("the carrier registry", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, ACCOUNTS.bureau);
  });

  test("bureau staff register a carrier in Chinese and find it in the filtered list", async ({ page }) => {
    const name = uniqueName("沂河新材料孵化器");
    await openHydrated(page, "/carriers/new");
    await expect(page.getByRole("heading", { name: "登记新载体" })).toBeVisible();

    await page.getByLabel("载体名称").fill(name);
    await page.getByLabel("载体类型").selectOption({ label: "科技企业孵化器" });
    await page.getByLabel("所在区县").selectOption({ label: "罗庄区" });
    await page.getByLabel("地址").fill("罗庄区沂河路88号");
    await page.getByLabel("启用日期").fill("2019-04-01");
    await page.getByLabel("认定级别").selectOption({ label: "市级" });
    await page.getByLabel("认定年份").fill("2021");
    await page.getByLabel("运营单位").fill("临沂沂河创新发展有限公司");
    await page.getByLabel("运营模式").selectOption({ label: "房东+股东" });
    await page.getByLabel("新材料").check();
    await page.getByLabel("高端装备制造").check();
    await page.getByLabel("联系人").fill("刘洋");
    await page.getByLabel("联系电话").fill("0539-8765432");
    await page.getByRole("button", { name: "保存" }).click();

    // The browser lands on the new carrier's page.
    await expect(page).toHaveURL(/\/carriers\/\d+$/);
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.getByText("市级（2021 年认定）")).toBeVisible();

    // The registry, filtered to the district and kind, lists it.
    await openHydrated(page, "/carriers");
    await page.getByLabel("所在区县").selectOption({ label: "罗庄区" });
    await page.getByLabel("载体类型").selectOption({ label: "科技企业孵化器" });
    await page.getByLabel("运营模式").selectOption({ label: "房东+股东" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/district=\d+/);
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toBeVisible();
    await expect(row).toContainText("罗庄区");
    // Every row on the filtered page is in that district.
    for (const district of await page.locator("tbody tr td:nth-child(4)").allTextContents()) {
      expect(district).toBe("罗庄区");
    }
  });

  test("switching to English translates the same page, and the choice persists", async ({ page }) => {
    await openHydrated(page, "/carriers?kind=maker_space");
    await expect(page.getByRole("heading", { name: "载体名录" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

    await page.getByRole("link", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Carrier registry" })).toBeVisible();
    await expect(page).toHaveURL(/kind=maker_space/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.locator("tbody tr td:nth-child(2)").first()).toHaveText("Maker space");

    // A fresh load, rendered by the server, is in English too.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Carrier registry" })).toBeVisible();
    await page.getByRole("link", { name: "中文" }).click();
    await expect(page.getByRole("heading", { name: "载体名录" })).toBeVisible();
  });

  test("an invalid form shows every error next to its field and saves nothing", async ({ page }) => {
    const name = uniqueName("错误示例");
    await openHydrated(page, "/carriers/new");
    await page.getByLabel("载体名称").fill(name);
    await page.getByLabel("联系电话").fill("12345");
    await page.getByLabel("电子邮箱").fill("not-an-email");
    await page.getByRole("button", { name: "保存" }).click();

    await expect(page.getByTestId("form-errors")).toContainText("处问题");
    await expect(page.locator("#contact_phone-problems")).toHaveText("请填写有效的手机号，或带区号的座机号码。");
    await expect(page.locator("#contact_email-problems")).toHaveText("请填写有效的电子邮箱地址。");
    await expect(page.locator("#kind-problems")).toHaveText("此项为必填项。");
    await expect(page.locator("#industries-problems")).toHaveText("请至少选择一项。");
    await expect(page.getByLabel("联系电话")).toHaveAttribute("aria-invalid", "true");
    // What the user typed is still there.
    await expect(page.getByLabel("载体名称")).toHaveValue(name);
    await expect(page).toHaveURL(/\/carriers\/new$/);

    await openHydrated(page, `/carriers?q=${encodeURIComponent(name)}`);
    await expect(page.getByTestId("result-count")).toHaveText("共 0 个载体");
  });

  test("a name that is already registered is refused by the server, in the user's language", async ({ page }) => {
    await openHydrated(page, "/carriers/new");
    await page.getByRole("link", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Register a carrier" })).toBeVisible();
    await page.getByLabel("Name").fill("沂蒙云谷众创空间");
    await page.getByLabel("Kind").selectOption({ label: "Maker space" });
    await page.getByLabel("District").selectOption({ label: "Lanshan District" });
    await page.getByLabel("Address").fill("兰山区通达路1号");
    await page.getByLabel("Opening date").fill("2020-01-01");
    await page.getByLabel("Accreditation level").selectOption({ label: "Not accredited" });
    await page.getByLabel("Operating organisation").fill("临沂测试有限公司");
    await page.getByLabel("Operating model").selectOption({ label: "Landlord" });
    await page.getByLabel("Other").check();
    await page.getByLabel("Contact person").fill("Li Qiang");
    await page.getByLabel("Contact phone").fill("13805391234");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#name-problems")).toHaveText("A carrier with this name is already registered.");
    await page.getByRole("link", { name: "中文" }).click();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the registry works as plain HTML forms", async ({ page }) => {
    await signIn(page, ACCOUNTS.bureau);
    await page.goto("/carriers/new");
    await page.getByLabel("载体名称").fill("孵");
    await page.getByLabel("联系电话").fill("0539-8123456");
    await page.getByRole("button", { name: "保存" }).click();
    // The server sends the page back with the problems and the input kept.
    await expect(page.locator("#name-problems")).toHaveText("至少需要 2 个字符。");
    await expect(page.getByLabel("载体名称")).toHaveValue("孵");
    await expect(page.getByLabel("联系电话")).toHaveValue("0539-8123456");

    await page.goto("/carriers?q=%E4%BA%91%E8%B0%B7");
    await expect(page.getByRole("link", { name: "沂蒙云谷众创空间" })).toBeVisible();
  });
});
